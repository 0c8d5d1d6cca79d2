package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.synth.NamingGame;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticConversations;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.tokenize.HfTokenizer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Conversations become rows as the chat template writes them: the loss on the replies and their EOS
 * only, every image placeholder expanded to its image's tokens, context replies of a few-shot sequence
 * not learned, pixels for every image shown and none for the others; a template's prompt for
 * generation is the training row's prefix, token for token.
 */
class ConversationBatcherTest {
  static HfTokenizer tokenizer() {
    List<String> texts = new ArrayList<>(List.of("describe the image briefly.", "what color is the circle?", "red",
        "a large red circle on the left", "what is this called?", "dax blicket wug", "USER: ASSISTANT: Question: Answer:"));
    HfTokenizer trained = new BpeTrainer(300, 1).train(texts);
    HfTokenizer withImage = trained.withAddedTokens(List.of(ChatTemplate.IMAGE_TOKEN));
    trained.close();
    return withImage;
  }

  static BufferedImage image(int rgb) {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, rgb);
    return image;
  }

  @Test
  void repliesAreLearnedAndImagesExpanded() {
    try (HfTokenizer tok = tokenizer()) {
      int imageId = tok.tokenId(ChatTemplate.IMAGE_TOKEN);
      ImageTransform transform = ImageTransform.square(8);
      ConversationBatcher batcher = new ConversationBatcher(tok, ChatTemplate.vicuna(), transform, 200,
          ImageViews.single(3), imageId, 1.0);
      Conversation c = new Conversation(List.of(new ChatTemplate.Turn(0, "describe the image briefly.",
          "a large red circle on the left"), new ChatTemplate.Turn(-1, "what color is the circle?", "red")));
      Example ex = Conversation.example("c", List.of(image(0xff0000)), c, Map.of());
      ConversationBatch batch = batcher.batch(List.of(ex), new SplittableRandom(1));
      LmBatch text = batch.text();
      assertArrayEquals(new int[] {1}, batch.imagesPerRow());
      assertArrayEquals(new long[] {1, 3, 8, 8}, text.pixelShape());
      int images = 0;
      StringBuilder learned = new StringBuilder();
      List<Integer> learnedIds = new ArrayList<>();
      for (int t = 0; t < text.length(); t++) {
        images += text.inputIds()[t] == imageId ? 1 : 0;
        if (text.lossWeights()[t] > 0) {
          learnedIds.add((int) text.targetIds()[t]);
        }
      }
      assertEquals(3, images, "one placeholder, three image tokens");
      int eos = tok.special().eos();
      assertEquals(2, learnedIds.stream().filter(id -> id == eos).count(), "each reply's EOS is learned");
      int[] replies = learnedIds.stream().filter(id -> id != eos).mapToInt(Integer::intValue).toArray();
      learned.append(tok.decode(replies));
      assertEquals("a large red circle on the left red", learned.toString().trim());
      // the generation prompt is the row's prefix up to the first reply
      int[] prompt = ChatTemplate.vicuna().encode(tok, List.of(ChatTemplate.Turn.ask(0, "describe the image briefly.")))
          .ids();
      int at = 1; // after BOS
      for (int id : prompt) {
        if (id == imageId) {
          for (int k = 0; k < 3; k++) {
            assertEquals(imageId, text.inputIds()[at++]);
          }
        } else {
          assertEquals(id, text.inputIds()[at++]);
        }
      }
      assertEquals(0f, text.lossWeights()[at - 2], "the prompt is not learned");
      assertTrue(text.lossWeights()[at - 1] > 0, "the first reply token is");
    }
  }

  @Test
  void aFewShotSequenceLearnsOnlyItsLastNameAndShowsEveryImage() {
    try (HfTokenizer tok = tokenizer()) {
      int imageId = tok.tokenId(ChatTemplate.IMAGE_TOKEN);
      NamingGame game = new NamingGame(new SceneGenerator(SceneConfig.defaults()), Split.TRAIN, 10, 3, 3);
      Example ex = game.get(4);
      assertEquals(4, ex.frames().size());
      ConversationBatcher batcher = new ConversationBatcher(tok, ChatTemplate.questionAnswer(), ImageTransform.square(8),
          200, ImageViews.single(1), imageId, 0);
      Example caption = Example.caption("cap", image(0x00ff00), List.of("a large red circle on the left"), Map.of());
      ConversationBatch batch = batcher.batch(List.of(ex, caption), new SplittableRandom(1));
      assertArrayEquals(new int[] {4, 1}, batch.imagesPerRow());
      assertArrayEquals(new long[] {5, 3, 8, 8}, batch.text().pixelShape(), "no padding images");
      LmBatch text = batch.text();
      List<Integer> learned = new ArrayList<>();
      for (int t = 0; t < text.length(); t++) {
        if (text.lossWeights()[t] > 0) {
          learned.add((int) text.targetIds()[t]);
        }
      }
      learned.remove(Integer.valueOf(tok.special().eos()));
      assertEquals(ex.get(NamingGame.ANSWER),
          tok.decode(learned.stream().mapToInt(Integer::intValue).toArray()));
      // the caption row: BOS, its image token, the caption, EOS
      assertEquals(imageId, text.inputIds()[text.length() + 1]);
      assertNull(batch.layouts()[4]);
    }
  }

  @Test
  void conversationsAndNamingGamesAreDeterministicPerItem() {
    SceneGenerator generator = new SceneGenerator(SceneConfig.defaults().withSeed(3));
    SyntheticConversations a = new SyntheticConversations(generator, Split.TEST, 20);
    SyntheticConversations b = new SyntheticConversations(generator, Split.TEST, 20);
    for (int i = 0; i < 20; i++) {
      assertEquals(a.turns(i), b.turns(i));
      assertTrue(a.turns(i).get(0).image() == 0, "the first turn shows the image");
    }
    NamingGame g = new NamingGame(generator, Split.TEST, 20, 0, 4);
    for (int i = 0; i < 20; i++) {
      NamingGame.Sequence s = g.sequence(i);
      assertEquals(s, g.sequence(i));
      if (!s.examples().isEmpty()) {
        assertTrue(s.names().contains(s.answer()), "the answer is one of the context's names");
        assertTrue(s.examples().contains(s.query()), "the query is one of the named concepts");
      }
    }
  }
}
