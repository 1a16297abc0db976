package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The retention drivers' statistics against hand-computed values and R's (scipy gives the same). */
class TwoByTwoTest {
  @Test
  void oddsRatioWoolfIntervalAndChiSquareOfALargeTable() {
    // a=20 b=10 c=10 d=20: OR = 20*20 / (10*10) = 4; SE = sqrt(1/20 + 1/10 + 1/10 + 1/20) = sqrt(0.3) = 0.5477226;
    // CI = exp(ln 4 -+ 1.96 * 0.5477226) = exp(0.3127567), exp(2.4598310) = 1.3671908, 11.7028286.
    // Expected counts 30*30/60 = 15 >= 5: chi-square = 60 (400 - 100)^2 / (30^4) = 6.6666667, p = erfc(sqrt(10/3)) = 0.0098233.
    TwoByTwo t = new TwoByTwo(20, 10, 10, 20);
    assertEquals(4.0, t.oddsRatio(), 1e-12);
    assertEquals(1.3671908337620873, t.ciLower(), 1e-12);
    assertEquals(11.702828606576402, t.ciUpper(), 1e-11);
    assertEquals(TwoByTwo.Test.CHI_SQUARE, t.test());
    assertEquals(20.0 / 3, t.chiSquare(), 1e-12);
    assertEquals(0.009823274507519235, t.pValue(), 1e-12);
  }

  @Test
  void fisherForSmallExpectedCountsAsInTheTeaTastingExperiment() {
    // Fisher's lady tasting tea: 3 1 / 1 3, expected 4*4/8 = 2 < 5. The tables with margins 4, 4 have
    // a = 0..4 with probabilities 1, 16, 36, 16, 1 (/70); those no likelier than a = 3 (16/70): 1+16+16+1 = 34/70.
    TwoByTwo tea = new TwoByTwo(3, 1, 1, 3);
    assertEquals(TwoByTwo.Test.FISHER, tea.test());
    assertEquals(34.0 / 70, tea.pValue(), 1e-12);
    assertEquals(9.0, tea.oddsRatio(), 1e-12);
    // 1 9 / 11 3: the least expected count is 10*12/24 = 5, enough for chi-square (p = 0.000925274);
    // Fisher's exact p is R's fisher.test(matrix(c(1, 11, 9, 3), 2))$p.value = 0.002759456.
    TwoByTwo dieting = new TwoByTwo(1, 9, 11, 3);
    assertEquals(TwoByTwo.Test.CHI_SQUARE, dieting.test());
    assertEquals(0.000925274037119762, dieting.pValue(), 1e-12);
    assertEquals(0.0027594561852200836, dieting.fisherPValue(), 1e-12);
  }

  @Test
  void aZeroCellGetsHalfAddedToEveryCell() {
    // a=0 b=5 c=10 d=10 -> 0.5 5.5 10.5 10.5: OR = 0.5*10.5 / (5.5*10.5) = 1/11;
    // SE = sqrt(2 + 1/5.5 + 2/10.5) = 1.5419; CI = exp(ln(1/11) -+ 1.96 SE) = 0.0044416, 1.8606885.
    // Expected 5*10/25 = 2: Fisher, R's p = 0.06126482.
    TwoByTwo t = new TwoByTwo(0, 5, 10, 10);
    assertEquals(1.0 / 11, t.oddsRatio(), 1e-12);
    assertEquals(0.004441615516108788, t.ciLower(), 1e-12);
    assertEquals(1.8606884769615726, t.ciUpper(), 1e-12);
    assertEquals(0.06126482213438734, t.pValue(), 1e-12);
  }

  @Test
  void anEmptyMarginHasNoStatistics() {
    // Every customer did it: nobody to compare with.
    TwoByTwo all = new TwoByTwo(5, 5, 0, 0);
    assertTrue(all.degenerate());
    assertTrue(Double.isNaN(all.oddsRatio()) && Double.isNaN(all.ciLower()) && Double.isNaN(all.pValue()));
    assertThrows(IllegalArgumentException.class, () -> new TwoByTwo(-1, 0, 0, 0));
  }

  @Test
  void benjaminiHochbergReproducesTheirExampleAndRsPAdjust() {
    // Benjamini & Hochberg (1995), section 4: 15 p-values; at q = 0.05 the first four are rejected.
    // Adjusted (R's p.adjust(p, "BH")): the i-th sorted one is min over j >= i of 15 p(j) / j, e.g.
    // 15 * 0.0095 / 4 = 0.035625, and the 6th and 7th both 15 * 0.0298 / 7 = 0.0638571.
    double[] p = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
        0.6528, 0.7590, 1.000};
    double[] expected = {0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714285714286, 0.06385714285714286, 0.0645,
        0.0765, 0.486, 0.5811818181818181, 0.714875, 0.7532307692307693, 0.8132142857142857, 1.0};
    assertArrayEquals(expected, BenjaminiHochberg.adjust(p), 1e-12);
    // Order-preserving, and an untested entry (NaN) is neither adjusted nor counted: m = 2.
    assertArrayEquals(new double[] {0.04, Double.NaN, 0.04}, BenjaminiHochberg.adjust(new double[] {0.04, Double.NaN, 0.02}), 1e-12);
  }
}
