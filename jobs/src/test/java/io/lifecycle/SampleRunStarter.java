package io.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts the README's first command in a fresh clone ({@link FreshClone#startFirstRun}) as the test plan
 * begins, when a class in it is marked {@link NeedsSampleRun}: the sample run (a build and the whole
 * pipeline, minutes) then proceeds while the classes that do not need it run, instead of after them.
 * Registered in {@code META-INF/services}; a plan without such a class (the unit tests) starts nothing.
 */
public final class SampleRunStarter implements TestExecutionListener {
  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    Deque<TestIdentifier> todo = new ArrayDeque<>(plan.getRoots());
    while (!todo.isEmpty()) {
      TestIdentifier id = todo.pop();
      if (id.getSource().orElse(null) instanceof ClassSource source && needsSampleRun(source)) {
        FreshClone.startFirstRun();
        return;
      }
      todo.addAll(plan.getChildren(id));
    }
  }

  private static boolean needsSampleRun(ClassSource source) {
    try {
      return source.getJavaClass().isAnnotationPresent(NeedsSampleRun.class);
    } catch (RuntimeException e) { // a class that cannot be loaded here fails on its own when it runs
      return false;
    }
  }
}
