package io.lifecycle.config;

import com.typesafe.config.Config;
import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;

/**
 * The resolved config of one file and the file's name: the section classes read their {@link Setting}s
 * through it, so that every error, a setting's own or a check across keys, has the one form
 * {@code origin: key: problem} and exit code {@link ExitCode#USAGE_OR_CONFIG}.
 */
final class ConfigReader {
  private final Config config;
  private final String origin;

  ConfigReader(Config config, String origin) {
    this.config = config;
    this.origin = origin;
  }

  /** The setting's value, read and checked. */
  <T> T get(Setting<T> setting) {
    try {
      return setting.read(config);
    } catch (Setting.Invalid e) {
      throw fail(setting.key() + e.suffix(), e.problem());
    }
  }

  /** An error about the value of {@code setting}, found by a check across keys. */
  LifecycleException fail(Setting<?> setting, String problem) {
    return fail(setting.key(), problem);
  }

  LifecycleException fail(String key, String problem) {
    return error(origin, key, problem);
  }

  /** The loader's one form of a configuration error. */
  static LifecycleException error(String origin, String key, String problem) {
    return new LifecycleException(ExitCode.USAGE_OR_CONFIG, origin + ": " + key + ": " + problem);
  }
}
