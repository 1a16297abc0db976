package io.lifecycle.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle stage model as data: an ordered list of stages (the order defines "more advanced",
 * skips and moves back) and ordered rules from event type to stage. A different business changes the
 * config, not the code.
 *
 * @param order stages from earliest to most advanced
 * @param purchaseEventTypes event types that are purchases (they carry revenue and define conversion)
 * @param rules first matching rule wins
 * @param aliases raw event type spellings mapped to canonical ones
 * @param strictEventTypes whether an event type no rule names is quarantined (else kept with a null stage)
 */
public record StageModel(
    List<String> order,
    Set<String> purchaseEventTypes,
    List<StageRule> rules,
    Map<String, String> aliases,
    boolean strictEventTypes) {

  /** The stage a customer is in after leaving; not part of {@link #order}. */
  public static final String CHURNED = "CHURNED";

  public StageModel {
    order = List.copyOf(order);
    purchaseEventTypes = Immutable.set(purchaseEventTypes);
    rules = List.copyOf(rules);
    aliases = Immutable.map(aliases);
  }

  /** 1-based position of a stage in the model's order; 0 for an unknown stage. */
  public int rank(String stage) {
    return order.indexOf(stage) + 1;
  }

  /** Every event type some rule names, in rule order. */
  public Set<String> knownEventTypes() {
    Set<String> types = new LinkedHashSet<>(purchaseEventTypes);
    rules.forEach(r -> types.addAll(r.eventTypes()));
    return types;
  }
}
