package io.lifecycle;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class whose slow work runs in the background from the start of the test plan (processes
 * that wait on their own, such as a cluster starting): {@link SampleRunStarter} calls the named static
 * no-argument method once, before the first test, and the class's tests wait for what it started. The
 * test JVM's threads meanwhile run the other classes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StartsInBackground {
  /** The static no-argument method that starts the work. */
  String value();
}
