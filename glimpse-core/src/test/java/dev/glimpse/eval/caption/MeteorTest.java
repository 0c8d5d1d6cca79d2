package dev.glimpse.eval.caption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Against METEOR 1.5 compiled from source and run with the same two modules (exact, stem); see
 * {@code meteor_exact_stem.json} and the fixture README. No fixture has the toolkit's full METEOR.
 */
class MeteorTest {
  private static final double TOLERANCE = 1e-12;

  @Test
  void matchesMeteorExactStemOnAllFixtureSets() {
    JsonObject root =
        CaptionFixture.resource("/fixtures/metrics/meteor_exact_stem.json").getAsJsonObject();
    for (JsonElement e : root.getAsJsonArray("sets")) {
      JsonObject set = e.getAsJsonObject();
      List<List<String>> refs = new ArrayList<>();
      List<String> candidates = new ArrayList<>();
      for (JsonElement image : set.getAsJsonArray("images")) {
        refs.add(CaptionFixture.strings(image.getAsJsonObject().getAsJsonArray("refs_tokenized")));
        candidates.add(image.getAsJsonObject().get("candidate_tokenized").getAsString());
      }
      CorpusScore score = Meteor.score(refs, candidates);
      JsonObject expected = set.getAsJsonObject("exact_stem");
      String name = set.get("name").getAsString();
      assertArrayEquals(
          CaptionFixture.doubles(expected.getAsJsonArray("per_image")),
          score.perImage(),
          TOLERANCE,
          name);
      assertEquals(expected.get("corpus").getAsDouble(), score.corpus(), TOLERANCE, name);
    }
  }

  @Test
  void identicalCaptionScoresOneAndStemsMatch() {
    assertEquals(
        1.0, Meteor.score(List.of(List.of("a dog on grass")), List.of("a dog on grass")).corpus());
    double stemmed = Meteor.score(List.of(List.of("dogs running")), List.of("dog runs")).corpus();
    assertTrue(stemmed > 0 && stemmed < 1, "stem matches count with weight 0.6: " + stemmed);
  }

  /** Expected strings are what METEOR 1.5's Normalizer.normalizeLine(s, en, true) returns. */
  @Test
  void normalizerSplitsLikeMeteor() {
    assertEquals("a well known dog", MeteorNormalizer.normalize("A well-known dog"));
    assertEquals("the us flag at 10 am", MeteorNormalizer.normalize("the U.S. flag at 10 a.m."));
    assertEquals("does n 't", MeteorNormalizer.normalize("does n't"));
    assertEquals("black / white & $ 5", MeteorNormalizer.normalize("black/white &$5"));
    assertEquals(
        "mr. smith went home . then ...",
        MeteorNormalizer.normalize("Mr. Smith went home. Then..."));
    assertEquals(
        "it 's 1990 's rock 'n'roll - ok",
        MeteorNormalizer.normalize("it's 1990's rock'n'roll -- ok"));
    assertEquals(
        "\" quoted \" ' single ' - dash",
        MeteorNormalizer.normalize("\u201Cquoted\u201D \u2018single\u2019 \u2013 dash"));
  }
}
