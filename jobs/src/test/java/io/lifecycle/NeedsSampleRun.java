package io.lifecycle;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that reads the sample run ({@link SampleRun}, {@link FreshClone#firstRun}): when the
 * test plan holds one, {@link SampleRunStarter} starts that run before any class executes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NeedsSampleRun {}
