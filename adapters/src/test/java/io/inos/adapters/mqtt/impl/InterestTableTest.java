package io.inos.adapters.mqtt.impl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterestTableTest {

  private static List<String> match(InterestTable table, String topic) {
    return table.match(topic.split("/", -1)).stream().sorted().toList();
  }

  @Test
  void eachBrokerOnceWhateverHowManyOfItsFiltersMatch() {
    InterestTable table = new InterestTable();
    table.add("a", "content/+/v1/completed");
    table.add("a", "content/#");
    table.add("b", "content/create_content/v1/completed");
    table.add("c", "sensors/+");
    assertEquals(List.of("a", "b"), match(table, "content/create_content/v1/completed"));
    assertEquals(List.of("a"), match(table, "content"), "'#' matches its parent level");
    assertEquals(List.of("c"), match(table, "sensors/1"));
    assertEquals(List.of(), match(table, "sensors/1/2"));
    assertEquals(4, table.size());
  }

  @Test
  void wildcardsAtTheFirstLevelSkipDollarTopics() {
    InterestTable table = new InterestTable();
    table.add("a", "#");
    table.add("b", "+/x");
    table.add("c", "$SYS/x");
    assertEquals(List.of("c"), match(table, "$SYS/x"));
    assertEquals(List.of("a", "b"), match(table, "y/x"));
  }

  @Test
  void removingReplacingAndForgettingBrokersLeaveNothingBehind() {
    InterestTable table = new InterestTable();
    table.add("a", "x/y");
    table.add("a", "x/y");
    table.add("b", "x/+");
    table.remove("a", "x/y");
    assertEquals(List.of("b"), match(table, "x/y"));
    table.replace("b", List.of("z/#"));
    assertEquals(List.of(), match(table, "x/y"));
    assertEquals(List.of("b"), match(table, "z/q"));
    table.add("n1.1", "q");
    table.add("n2.1", "q");
    table.forgetIf(broker -> broker.startsWith("n1."));
    assertEquals(List.of("n2.1"), match(table, "q"));
    table.forget("n2.1");
    table.forget("b");
    assertTrue(table.isEmpty());
    assertEquals(List.of(), table.filtersOf("b"));
  }

  @Test
  void twoTablesAgreeOnABrokerWhenTheyHoldTheSameFilters() {
    InterestTable one = new InterestTable();
    InterestTable other = new InterestTable();
    one.add("a", "x/+");
    one.add("a", "y");
    other.add("a", "y");
    assertTrue(!one.digestOf("a").equals(other.digestOf("a")), "one filter short");
    other.add("a", "x/+");
    assertEquals(one.digestOf("a"), other.digestOf("a"), "in any order");
    assertEquals(new InterestTable().digestOf("b"), one.digestOf("b"), "nobody knows b");
  }
}
