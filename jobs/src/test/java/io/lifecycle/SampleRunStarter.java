package io.lifecycle;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts the test plan's slow background work before its first test: each class's {@link
 * StartsInBackground} method (the cluster test's cluster), and the fresh clone's first command when the
 * plan holds a class marked {@link NeedsSampleRun}, with those classes' {@link
 * NeedsSampleRun#besideTheFirstRun} work. The clone's Maven build and sample run take minutes in child
 * processes, while this JVM runs the unit tests. A plan without such classes (chosen unit tests) starts
 * nothing. Registered in {@code META-INF/services}.
 */
public final class SampleRunStarter implements TestExecutionListener {
  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    Set<Class<?>> classes = classes(plan);
    for (Class<?> c : classes) {
      StartsInBackground early = c.getAnnotation(StartsInBackground.class);
      if (early != null) {
        call(c, early.value(), "StartsInBackground");
      }
    }
    List<Class<?>> marked = classes.stream().filter(c -> c.isAnnotationPresent(NeedsSampleRun.class)).toList();
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
        call(c, method, "NeedsSampleRun.besideTheFirstRun");
      }
    }
  }

  private static Set<Class<?>> classes(TestPlan plan) {
    Set<Class<?>> classes = new LinkedHashSet<>();
    for (TestIdentifier root : plan.getRoots()) {
      for (TestIdentifier id : plan.getDescendants(root)) {
        if (id.getSource().orElse(null) instanceof ClassSource c) {
          classes.add(c.getJavaClass());
        }
      }
    }
    return classes;
  }

  private static void call(Class<?> c, String method, String why) {
    try {
      java.lang.reflect.Method m = c.getDeclaredMethod(method);
      m.setAccessible(true);
      m.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(c.getName() + "." + method + " (" + why + ")", e);
    }
  }
}
