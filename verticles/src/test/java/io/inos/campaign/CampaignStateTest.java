package io.inos.campaign;

import org.junit.jupiter.api.Test;

import static io.inos.campaign.CampaignState.ACTIVE;
import static io.inos.campaign.CampaignState.ARCHIVED;
import static io.inos.campaign.CampaignState.DRAFT;
import static io.inos.campaign.CampaignState.PAUSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The campaign lifecycle's allowed moves. */
class CampaignStateTest {

  @Test
  void movesAllowedAndRefused() {
    assertTrue(DRAFT.canMoveTo(ACTIVE));
    assertTrue(DRAFT.canMoveTo(ARCHIVED));
    assertFalse(DRAFT.canMoveTo(PAUSED), "a draft has never been live");
    assertTrue(ACTIVE.canMoveTo(PAUSED));
    assertTrue(PAUSED.canMoveTo(ACTIVE));
    assertFalse(ACTIVE.canMoveTo(DRAFT), "once live, never a draft again");
    assertFalse(PAUSED.canMoveTo(DRAFT));
    for (CampaignState s : CampaignState.values()) {
      assertTrue(s.canMoveTo(s), "a move to the same state is an idempotent no-op");
      assertTrue(s == ARCHIVED || s.canMoveTo(ARCHIVED), "anything can be archived");
      assertTrue(s == ARCHIVED || !ARCHIVED.canMoveTo(s), "archived is final");
    }
  }

  @Test
  void wireNames() {
    assertEquals("draft, active, paused, archived", CampaignState.names());
    assertEquals(PAUSED, CampaignState.ofWire("paused"));
    assertNull(CampaignState.ofWire("PAUSED"), "wire names are exact");
    assertNull(CampaignState.ofWire("flying"));
  }
}
