package dev.glimpse.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retrieval figures from embeddings, with identical texts on several images reported, not hidden. */
class RetrievalEvalTest {
  private static float[] unit(double angle) {
    return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
  }

  @Test
  void perfectEmbeddingsGiveRecallOne() {
    float[][] images = {unit(0), unit(1), unit(2)};
    float[][] texts = {unit(0), unit(0.05), unit(1), unit(2)};
    JsonObject r = RetrievalEval.score(images, texts, new int[] {0, 0, 1, 2}, List.of("a", "b", "c", "d"));
    assertEquals(1.0, r.get("r1_t2i").getAsDouble());
    assertEquals(1.0, r.get("r1_i2t").getAsDouble());
    assertEquals(1.0, r.get("mean_rank_t2i").getAsDouble());
    assertEquals(0.0, r.get("shared_text_fraction").getAsDouble());
    assertEquals(3, r.get("images").getAsInt());
    assertEquals(4, r.get("texts").getAsInt());
  }

  @Test
  void aTextSharedByTwoImagesIsCountedAndMatchedByText() {
    // images 0 and 1 look alike and both carry the text "same"; the model puts image 1 first for text 0
    float[][] images = {unit(0.1), unit(0), unit(2)};
    float[][] texts = {unit(0), unit(0), unit(2)};
    int[] owner = {0, 1, 2};
    JsonObject r = RetrievalEval.score(images, texts, owner, List.of("same", "same", "other"));
    assertEquals(2.0 / 3, r.get("shared_text_fraction").getAsDouble(), 1e-9);
    assertEquals(2.0 / 3, r.get("r1_t2i").getAsDouble(), 1e-9, "text 0 ranks image 1 first: a miss by image");
    assertEquals(1.0, r.get("r1_t2i_text_match").getAsDouble(), 1e-9, "image 1 carries the identical text");
    assertEquals(4.0 / 3, r.get("mean_rank_t2i").getAsDouble(), 1e-9, "ranks 2, 1, 1");
  }
}
