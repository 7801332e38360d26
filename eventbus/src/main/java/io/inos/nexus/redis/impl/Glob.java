package io.inos.nexus.redis.impl;

import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A pattern where {@code *} matches any characters; exact and prefix patterns take no regex. */
final class Glob {

  private final String text;
  private final String exact;
  private final String prefix;
  private final Pattern regex;

  Glob(String text) {
    this.text = text;
    int star = text.indexOf('*');
    if (star < 0) {
      exact = text;
      prefix = null;
      regex = null;
    } else if (star == text.length() - 1) {
      exact = null;
      prefix = text.substring(0, star);
      regex = null;
    } else {
      exact = null;
      prefix = null;
      regex = Pattern.compile(Arrays.stream(text.split("\\*", -1)).map(Pattern::quote)
        .collect(Collectors.joining(".*")));
    }
  }

  boolean matches(String s) {
    if (exact != null) {
      return exact.equals(s);
    }
    if (prefix != null) {
      return s.startsWith(prefix);
    }
    return regex.matcher(s).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
