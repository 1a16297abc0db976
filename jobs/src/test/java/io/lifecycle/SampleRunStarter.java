package io.lifecycle;

import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts the fresh clone's first command in the background when the test plan holds a class marked
 * {@link NeedsSampleRun}: its Maven build and sample run take minutes in child processes, during which
 * this JVM does what needs neither (the cluster test starts its cluster, and each such class's {@link
 * NeedsSampleRun#besideTheFirstRun} work starts). A plan without such a class (the unit tests, or the
 * cluster test alone) starts nothing. Registered in {@code META-INF/services}.
 */
public final class SampleRunStarter implements TestExecutionListener {
  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    Set<Class<?>> marked = new LinkedHashSet<>();
    for (TestIdentifier root : plan.getRoots()) {
      for (TestIdentifier id : plan.getDescendants(root)) {
        if (id.getSource().orElse(null) instanceof ClassSource c && c.getJavaClass().isAnnotationPresent(NeedsSampleRun.class)) {
          marked.add(c.getJavaClass());
        }
      }
    }
    if (marked.isEmpty()) {
      return;
    }
    FreshClone.startFirstRun();
    if (marked.stream().anyMatch(c -> c.getAnnotation(NeedsSampleRun.class).rerunsTheFirstCommand())) {
      FreshClone.planRerun();
    }
    for (Class<?> c : marked) {
      String method = c.getAnnotation(NeedsSampleRun.class).besideTheFirstRun();
      if (!method.isEmpty()) {
        try {
          java.lang.reflect.Method m = c.getDeclaredMethod(method);
          m.setAccessible(true);
          m.invoke(null);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(c.getName() + "." + method + " (NeedsSampleRun.besideTheFirstRun)", e);
        }
      }
    }
  }
}
