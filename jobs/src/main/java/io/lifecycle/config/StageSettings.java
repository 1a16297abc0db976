package io.lifecycle.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code stages} section: the stage model, ordered stages and the rules from event type to stage. */
final class StageSettings {
  private StageSettings() {}

  private static final String P = "lifecycle.stages.";
  private static final Set<String> RULE_KEYS = Set.of("event_types", "when", "stage");

  static final Setting<List<String>> ORDER = Setting.stringList(P + "order", "the stages, from earliest to most advanced")
      .check(order -> !order.isEmpty(), order -> "needs at least one stage")
      .check((order, written) -> orderProblem(order));
  static final Setting<List<String>> PURCHASE_EVENT_TYPES =
      Setting.stringList(P + "purchase_event_types", "event types that are purchases")
          .<List<String>>map(types -> types.stream().map(ConfigLoader::normalizeType).toList())
          .check(types -> !types.isEmpty(), types -> "needs at least one event type");
  /** A list of rules {event_types, when, stage}, each checked against the order and purchase types. */
  static final Setting<List<? extends Config>> RULES =
      Setting.configList(P + "rules", "rules from event type to stage; the first that matches wins");
  static final Setting<Map<String, String>> ALIASES =
      Setting.stringMap(P + "aliases", "raw event type spellings mapped to canonical ones (free map)");
  static final Setting<Boolean> STRICT_EVENT_TYPES =
      Setting.bool(P + "strict_event_types", "quarantine event types no rule names (else keep them with a null stage)");

  private static String orderProblem(List<String> order) {
    Set<String> seen = new HashSet<>();
    for (String stage : order) {
      if (!stage.matches("[A-Z][A-Z0-9_]*")) {
        return "stage '" + stage + "' must be UPPER_SNAKE_CASE";
      }
      if (stage.equals(StageModel.CHURNED)) {
        return "CHURNED is reserved (the job adds it for customers who left)";
      }
      if (!seen.add(stage)) {
        return "duplicate stage " + stage;
      }
    }
    return null;
  }

  static StageModel read(ConfigReader r) {
    List<String> order = r.get(ORDER);
    List<String> purchaseTypes = r.get(PURCHASE_EVENT_TYPES);
    List<StageRule> rules = new ArrayList<>();
    List<? extends Config> ruleConfigs = r.get(RULES);
    for (int i = 0; i < ruleConfigs.size(); i++) {
      rules.add(rule(r, RULES.key() + "[" + i + "]", ruleConfigs.get(i), order, purchaseTypes));
    }
    Map<String, String> aliases = new LinkedHashMap<>();
    r.get(ALIASES).forEach((k, v) -> aliases.put(ConfigLoader.normalizeType(k), ConfigLoader.normalizeType(v)));
    return new StageModel(order, new java.util.LinkedHashSet<>(purchaseTypes), rules, aliases, r.get(STRICT_EVENT_TYPES));
  }

  private static StageRule rule(ConfigReader r, String key, Config rule, List<String> order, List<String> purchaseTypes) {
    for (String k : rule.root().keySet()) {
      if (!RULE_KEYS.contains(k)) {
        throw r.fail(key + "." + k, "unknown key (a rule has event_types, when, stage)");
      }
    }
    if (!rule.hasPath("event_types") || !rule.hasPath("stage")) {
      throw r.fail(key, "a rule needs event_types and stage");
    }
    List<String> types = rule.getStringList("event_types").stream().map(ConfigLoader::normalizeType).toList();
    if (types.isEmpty()) {
      throw r.fail(key + ".event_types", "needs at least one event type");
    }
    String stage = rule.getString("stage");
    if (!order.contains(stage)) {
      throw r.fail(key + ".stage", "unknown stage '" + stage + "' (stages.order is " + order + ")");
    }
    String whenText = rule.hasPath("when") ? rule.getString("when") : "any";
    StageRule.When when;
    try {
      // Not trimmed, unlike a Setting.choice: a rule's when has always been read as written.
      when = StageRule.When.valueOf(whenText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw r.fail(key + ".when", "'" + whenText + "' is not one of " + Setting.lower(StageRule.When.values()));
    }
    boolean purchaseOnly = when == StageRule.When.FIRST_PURCHASE || when == StageRule.When.REPEAT_PURCHASE;
    if (purchaseOnly && !purchaseTypes.containsAll(types)) {
      throw r.fail(key + ".when", whenText + " applies only to purchase event types " + purchaseTypes);
    }
    return new StageRule(types, when, stage);
  }
}
