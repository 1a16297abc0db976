package io.lifecycle.clv;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.clv.RemovalEffects.Transition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Markov removal effects against hand-solved chains and two published examples (plain Java, no Spark). */
class RemovalEffectsTest {
  private static final double EPS = 1e-12;

  /** The chain of journeys written "A>B>conv" or "A>null", each with how many customers took it. */
  private static RemovalEffects chain(Map<String, Long> journeys) {
    Map<List<String>, Long> moves = new LinkedHashMap<>();
    journeys.forEach((journey, customers) -> {
      List<String> states = new ArrayList<>();
      states.add(RemovalEffects.START);
      for (String s : journey.split(">")) {
        states.add(s.equals("conv") ? RemovalEffects.CONVERSION : s.equals("null") ? RemovalEffects.NULL : s);
      }
      for (int i = 1; i < states.size(); i++) {
        moves.merge(List.of(states.get(i - 1), states.get(i)), customers, Long::sum);
      }
    });
    return RemovalEffects.of(moves.entrySet().stream().map(e -> new Transition(e.getKey().get(0), e.getKey().get(1), e.getValue())).toList());
  }

  /**
   * Sergey Bryl', "Marketing Multi-Channel Attribution model with R (part 1: Markov chains concept)",
   * analyzecore.com, 2016: journeys C1>C2>C3>conversion, C1>null, C2>C3>null. By hand: start goes to C1
   * with 2/3 and C2 with 1/3; C1 to C2 and null with 1/2 each; C2 to C3 with 1; C3 to conversion and null
   * with 1/2 each. x_C3 = 1/2, x_C2 = x_C3 = 1/2, x_C1 = 1/2 x_C2 = 1/4, P = 2/3 x_C1 + 1/3 x_C2 = 1/6 +
   * 1/6 = 1/3. Without C1: P = 1/3 x_C2 = 1/6, removal effect 1 - (1/6)/(1/3) = 0.5; without C2 or C3 no
   * journey converts: 1. Shares 0.5/2.5 = 0.2, 0.4, 0.4: the post's result.
   */
  @Test
  void threeChannelExampleOfAnalyzeCore() {
    RemovalEffects m = chain(Map.of("C1>C2>C3>conv", 1L, "C1>null", 1L, "C2>C3>null", 1L));
    assertEquals(1.0 / 3, m.conversionProbability(), EPS);
    assertEquals(List.of("C1", "C2", "C3"), List.copyOf(m.effects().keySet()));
    assertEquals(0.5, m.effects().get("C1"), EPS);
    assertEquals(1.0, m.effects().get("C2"), EPS);
    assertEquals(1.0, m.effects().get("C3"), EPS);
    assertEquals(0.2, m.shares().get("C1"), EPS);
    assertEquals(0.4, m.shares().get("C2"), EPS);
    assertEquals(0.4, m.shares().get("C3"), EPS);
  }

  /**
   * Serhii Puzyrov, "Markov Chain Attribution – Simple Explanation Of Removal Effect" (2019): google ads
   * twice alone to conversion, mailing alone to conversion, google ads > mailing to conversion, google ads
   * alone to null. start: ads 4/5, mailing 1/5; ads: conversion 1/2, mailing 1/4, null 1/4; mailing:
   * conversion 1. x_mailing = 1, x_ads = 1/2 + 1/4 = 3/4, P = 4/5 * 3/4 + 1/5 = 0.8. Without ads P = 0.2
   * (effect 0.75); without mailing x_ads = 1/2, P = 0.4 (effect 0.5). The post's 4 conversions: ads
   * 4 x 0.75/1.25 = 2.4, mailing 1.6.
   */
  @Test
  void twoChannelExampleOfPuzyrov() {
    RemovalEffects m = chain(Map.of("ads>conv", 2L, "mailing>conv", 1L, "ads>mailing>conv", 1L, "ads>null", 1L));
    assertEquals(0.8, m.conversionProbability(), EPS);
    assertEquals(0.75, m.effects().get("ads"), EPS);
    assertEquals(0.5, m.effects().get("mailing"), EPS);
    assertEquals(2.4, 4 * m.shares().get("ads"), EPS);
    assertEquals(1.6, 4 * m.shares().get("mailing"), EPS);
  }

  /**
   * A chain with a loop, where the absorption probabilities need the linear solve, not a walk down a
   * tree: journeys A>B>A>conv, A>conv and B>null. start: A 2/3, B 1/3; A: B 1/3, conversion 2/3 (both
   * journeys through A end there); B: A 1/2, null 1/2. x_A = 2/3 + 1/3 x_B and x_B = 1/2 x_A, so
   * x_A = 2/3 + 1/6 x_A, x_A = 4/5, x_B = 2/5, P = 2/3 * 4/5 + 1/3 * 2/5 = 2/3. Without A: x_B = 0, P = 0,
   * effect 1. Without B: x_A = 2/3, P = 4/9, effect 1 - (4/9)/(2/3) = 1/3. Shares 3/4 and 1/4.
   */
  @Test
  void handSolvedChainWithALoop() {
    RemovalEffects m = chain(Map.of("A>B>A>conv", 1L, "A>conv", 1L, "B>null", 1L));
    assertEquals(2.0 / 3, m.conversionProbability(), EPS);
    assertEquals(1.0, m.effects().get("A"), EPS);
    assertEquals(1.0 / 3, m.effects().get("B"), EPS);
    assertEquals(0.75, m.shares().get("A"), EPS);
    assertEquals(0.25, m.shares().get("B"), EPS);
  }

  @Test
  void withoutConversionsNothingIsCredited() {
    RemovalEffects m = chain(Map.of("A>null", 3L, "A>B>null", 1L));
    assertEquals(0.0, m.conversionProbability());
    assertEquals(Map.of("A", 0.0, "B", 0.0), m.effects());
    assertEquals(Map.of(), m.shares());
  }

  /** A channel only non-converting journeys pass through removes nothing: its effect is 0. */
  @Test
  void aChannelOffEveryConvertingJourneyHasNoEffect() {
    RemovalEffects m = chain(Map.of("A>conv", 1L, "B>null", 2L));
    assertEquals(1.0 / 3, m.conversionProbability(), EPS);
    assertEquals(1.0, m.effects().get("A"), EPS);
    assertEquals(0.0, m.effects().get("B"), EPS);
    assertEquals(Map.of("A", 1.0, "B", 0.0), m.shares());
  }
}
