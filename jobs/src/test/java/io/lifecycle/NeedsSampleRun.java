package io.lifecycle;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that reads the README's first command's run in a fresh clone ({@link SampleRun},
 * {@link FreshClone}): when a test plan holds one, {@link SampleRunStarter} starts that run before the
 * first test, so the classes that do not need it run beside it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NeedsSampleRun {
  /**
   * A static no-argument method of the class that starts work of its own in the background as the
   * first run starts (the starter calls it once the clone's {@code warehouse/} is cleared): commands that
   * need the clone but not the sample's tables then use the time the first run leaves a core idle.
   * Empty: nothing is started early.
   */
  String besideTheFirstRun() default "";

  /**
   * The class runs the first command again in the test JVM (the rerun check): the cluster test submits
   * its job as that rerun starts ({@link FreshClone#awaitRerunStartIfPlanned}), after the unit tests, where
   * the rerun alone leaves the cores idle a third of the time; copies of the first run's tables are made
   * before it ({@link FreshClone#holdRerun}).
   */
  boolean rerunsTheFirstCommand() default false;
}
