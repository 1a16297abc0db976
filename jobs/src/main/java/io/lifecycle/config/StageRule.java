package io.lifecycle.config;

import java.util.List;

/** One rule of the stage model: events of these types, under this condition, are in this stage. */
public record StageRule(List<String> eventTypes, When when, String stage) {

  /** When a rule applies, relative to the customer's first purchase. */
  public enum When {
    ANY,
    BEFORE_FIRST_PURCHASE,
    FIRST_PURCHASE,
    AFTER_FIRST_PURCHASE,
    REPEAT_PURCHASE
  }

  public StageRule {
    eventTypes = List.copyOf(eventTypes);
  }
}
