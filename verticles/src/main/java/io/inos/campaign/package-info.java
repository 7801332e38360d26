/**
 * The campaign service: campaigns (CRUD), their lifecycle state, switching a user between campaigns, features and
 * configuration, stored in PostgreSQL ({@code campaign} + its {@code master} row) and served on the Nexus.
 *
 * <h2>Parts</h2>
 * <ul>
 *   <li>{@link io.inos.campaign.CampaignVerticle} ({@link io.inos.campaign.CampaignVerticleOptions}): deploy it
 *   with a {@code Nexus} and a {@code Supplier<Pool>}; it serves the service wherever it runs.</li>
 *   <li>{@link io.inos.campaign.CampaignService}: the actions as a {@code ServiceDefinition}.</li>
 *   <li>{@link io.inos.campaign.CampaignRepository}: the SQL (parameterised; every write in one transaction).</li>
 *   <li>{@link io.inos.campaign.CampaignGrpcService}: {@code inos.campaign.v1.CampaignService} over gRPC, through
 *   the Nexus.</li>
 *   <li>{@link io.inos.campaign.PgFailures}: PostgreSQL client failures to outcome codes, for every service.</li>
 * </ul>
 *
 * <h2>Actions</h2>
 * Each action answers {@code campaign:{action}:v1:requested}; its fields are read from {@code payload.data}.
 * Ids are JSON integers or decimal strings (protobuf JSON prints int64 as strings). Unknown fields are ignored;
 * JSON {@code null} is the same as absent. In {@code payload.data}, {@code metadata} is always the campaign's own
 * metadata; the caller's metadata (correlation, user, session) travels in the event envelope.
 * <p>A campaign is named by <b>ref</b> = {@code id} (or {@code campaign_id}) or {@code slug}: the slug is used when
 * it is non-empty and the id is absent or 0 (protobuf's unset value), else the id; neither is INVALID_ARGUMENT.
 * Results hold {@code campaign}: {@code id} (number), {@code uuid} (of the master row), {@code slug}, {@code title},
 * {@code description} (absent when unset), {@code status}, {@code state}, {@code features}, {@code config},
 * {@code metadata}, {@code created_at}, {@code updated_at} (RFC 3339, UTC), {@code master_id}, {@code owner_id}
 * (absent when unset) — the keys of {@code inos.campaign.v1.Campaign}.
 * <table>
 *   <caption>Actions</caption>
 *   <tr><th>action</th><th>payload</th><th>result</th></tr>
 *   <tr><td>create_campaign</td><td>{@code slug} (required, {@code [a-z0-9_-]{1,64}}, unique), {@code title}
 *   (required, not blank, ≤ 200), {@code description} (≤ 10,000), {@code status} ({@code [a-z][a-z0-9_]{0,31}},
 *   default {@code active}), {@code state} (default {@code draft}), {@code features} (strings, ≤ 256 of ≤ 64
 *   characters; duplicates dropped), {@code config} (object), {@code metadata} (object fitting
 *   {@code inos.common.v1.Metadata}), {@code owner_id} (default: the requesting user). The same fields may be
 *   nested in {@code campaign} (the gRPC form); ids and times given there are ignored.</td>
 *   <td>{@code campaign}</td></tr>
 *   <tr><td>get_campaign</td><td>ref</td><td>{@code campaign}</td></tr>
 *   <tr><td>update_campaign</td><td>ref, and at least one of {@code title}, {@code description}, {@code status},
 *   {@code state} (a lifecycle move, see below), {@code features}, {@code config} (replaced),
 *   {@code metadata} or {@code campaign_metadata} (replaced). The slug and master id cannot be changed.</td>
 *   <td>{@code campaign}</td></tr>
 *   <tr><td>delete_campaign</td><td>ref; deletes the campaign and its master row</td>
 *   <td>{@code success: true}, {@code id}, {@code slug}</td></tr>
 *   <tr><td>list_campaigns</td><td>{@code page} (≥ 1; absent or 0: 1), {@code page_size} (1–100; absent or 0:
 *   20); ordered by id; a page past the end is empty</td>
 *   <td>{@code campaigns}, {@code total_count}, {@code page}, {@code page_size}, {@code total_pages}</td></tr>
 *   <tr><td>get_campaign_state</td><td>ref ({@code campaign_id} or {@code slug})</td>
 *   <td>{@code state}, {@code campaign}</td></tr>
 *   <tr><td>update_campaign_state</td><td>ref, {@code state} (required)</td>
 *   <td>{@code state}, {@code previous_state}, {@code campaign}</td></tr>
 *   <tr><td>switch_campaign</td><td>{@code user_id} (default: the requesting user), {@code old_campaign_id}
 *   (optional, as given), {@code new_campaign_id} (required: an id or a slug; must exist and not be archived),
 *   {@code reason} (optional). Publishes the control event {@code campaign:switch:required} (data: the result
 *   plus {@code reason}; {@code global_context.user_id} = the user, {@code campaign_id} = the new id, the
 *   request's correlation id), delivered to {@code user:{user_id}}.</td>
 *   <td>{@code campaign} (the new one), {@code user_id}, {@code old_campaign_id}, {@code new_campaign_id}
 *   (strings, as campaign ids are in {@code global_context})</td></tr>
 *   <tr><td>update_campaign_features</td><td>ref, {@code features} (required; replaces the list)</td>
 *   <td>{@code campaign}</td></tr>
 *   <tr><td>update_campaign_config</td><td>ref, {@code config} (required object; replaces the configuration, or
 *   with {@code merge: true} is merged in at the top level: given keys replace, others stay)</td>
 *   <td>{@code campaign}</td></tr>
 * </table>
 *
 * <h2>States</h2>
 * {@code draft → active | archived}, {@code active → paused | archived}, {@code paused → active | archived};
 * {@code archived} is final. Moving to the current state is accepted (idempotent). A new campaign may start in any
 * state (default {@code draft}). The default campaign 0 ({@code ovasabi_website}) is seeded {@code active}. See
 * {@link io.inos.campaign.CampaignState}.
 *
 * <h2>Errors</h2>
 * <ul>
 *   <li>INVALID_ARGUMENT — a missing, mistyped or malformed field; the message names it
 *   ({@code field 'title' is required}, {@code field 'features[1]' must be a string},
 *   {@code field 'campaign.title' is required}); bad paging; an update with nothing to change.</li>
 *   <li>NOT_FOUND — no campaign with that id or slug ({@code campaign 42 does not exist}).</li>
 *   <li>ALREADY_EXISTS — the slug is taken.</li>
 *   <li>FAILED_PRECONDITION — a state move the lifecycle forbids; deleting campaign 0; switching to an archived
 *   campaign.</li>
 *   <li>UNAVAILABLE ({@code the database is unavailable}) — PostgreSQL not up yet (no pool), unreachable, or the
 *   connection lost during the request; the transaction is rolled back, nothing is half-written.</li>
 *   <li>INTERNAL — any other database error (the SQLSTATE is in the message, PostgreSQL's text is not).</li>
 * </ul>
 * Over gRPC each code is the gRPC status of the same name, with the same message.
 */
package io.inos.campaign;
