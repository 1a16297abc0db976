package io.lifecycle.config;

import io.lifecycle.config.LifecycleConfig.Privacy;

/** The {@code privacy} section: whether customer ids are pseudonymized, and where the key comes from. */
final class PrivacySettings {
  private PrivacySettings() {}

  private static final String SECTION = "lifecycle.privacy";

  static final Setting<Boolean> PSEUDONYMIZE =
      Setting.bool(SECTION + ".pseudonymize", "replace customer ids by HMAC-SHA-256(key, id) in every output");
  static final Setting<String> KEY_ENV = Setting.optionalString(SECTION + ".key_env", "environment variable holding the key");
  static final Setting<String> KEY_FILE = Setting.optionalString(SECTION + ".key_file", "file holding the key");

  static Privacy read(ConfigReader r) {
    Privacy privacy = new Privacy(r.get(PSEUDONYMIZE), r.get(KEY_ENV), r.get(KEY_FILE));
    if (privacy.pseudonymize() && privacy.keyEnv() == null && privacy.keyFile() == null) {
      throw r.fail(SECTION, "pseudonymize = true needs key_env or key_file");
    }
    return privacy;
  }
}
