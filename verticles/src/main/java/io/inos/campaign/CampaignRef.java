package io.inos.campaign;

/**
 * Which campaign a request is about: by id, or by slug.
 *
 * @param id   the id, or {@code null} when the campaign is named by slug
 * @param slug the slug, or {@code null} when the campaign is named by id
 */
public record CampaignRef(Long id, String slug) {

  public CampaignRef {
    if ((id == null) == (slug == null)) {
      throw new IllegalArgumentException("a campaign is named by id or by slug, exactly one");
    }
  }

  public static CampaignRef byId(long id) {
    return new CampaignRef(id, null);
  }

  public static CampaignRef bySlug(String slug) {
    return new CampaignRef(null, slug);
  }

  /** @return the SQL condition on {@code campaign c} with one parameter {@code $n} */
  String condition(int n) {
    return (id != null ? "c.id = $" : "c.slug = $") + n;
  }

  /** @return the value of the condition's parameter */
  Object value() {
    return id != null ? id : slug;
  }

  /** @return how messages name the campaign: {@code campaign 42} or {@code campaign 'summer'} */
  @Override
  public String toString() {
    return id != null ? "campaign " + id : "campaign '" + slug + "'";
  }
}
