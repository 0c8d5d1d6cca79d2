package dev.glimpse.data;

import dev.glimpse.connect.AnyRes;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.tokenize.SpecialTokens;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns examples into {@link ConversationBatch}es for a connector model, as its {@link ChatTemplate}
 * writes them: a conversation ({@link Conversation}: instructions, few-shot sequences) turn by turn
 * with the loss on the replies; a question with answers (VQA) as one turn; a caption without a prompt
 * as {@code <image> caption} (LLaVA's alignment stage: no instruction). Each image is seen as the
 * model's {@link ImageViews} say, and its placeholder becomes as many image tokens as they give
 * (LLaVA's visual tokens, BLIP-2's queries; one for Flamingo, which reads the image through
 * cross-attention). Rows are {@code [BOS] ids}, right-padded; a conversation longer than {@code
 * maxTokens} loses its last turns.
 */
public final class ConversationBatcher implements ExampleBatcher<ConversationBatch> {
  private final Tokenizer tokenizer;
  private final ChatTemplate template;
  private final ImageTransform transform;
  private final int maxTokens;
  private final ImageViews views;
  private final int imageTokenId;
  private final double firstTargetProbability;

  /**
   * @param template how conversations and questions are written (the tokenizer's), or null: questions
   *     then go in front of their answer as they are
   * @param maxTokens longest row including BOS, image tokens and EOS
   * @param views how the model sees an image and how many tokens its placeholder becomes
   * @param imageTokenId the placeholder's id (the tokenizer's {@value ChatTemplate#IMAGE_TOKEN})
   * @param firstTargetProbability chance of a caption's or question's consensus reference (see {@link LmBatcher})
   */
  public ConversationBatcher(Tokenizer tokenizer, ChatTemplate template, ImageTransform transform, int maxTokens,
      ImageViews views, int imageTokenId, double firstTargetProbability) {
    this.tokenizer = tokenizer;
    this.template = template;
    this.transform = transform;
    this.maxTokens = maxTokens;
    this.views = views;
    this.imageTokenId = imageTokenId;
    this.firstTargetProbability = firstTargetProbability;
  }

  /** One example's row: ids after BOS (image runs expanded), which are learned, and its viewed images. */
  record Row(int[] ids, float[] targets, List<ImageViews.Viewed> images) {}

  Row row(Example ex, SplittableRandom random) {
    List<ImageViews.Viewed> viewed = new ArrayList<>();
    Conversation conversation = Conversation.of(ex);
    if (conversation == null) {
      String target = ex.targets().isEmpty() ? "" : firstTargetProbability > 0
          && random.nextDouble() < firstTargetProbability ? LmBatcher.consensus(ex.targets())
          : ex.targets().get(random.nextInt(ex.targets().size()));
      if (ex.prompt().isEmpty()) { // a caption: the image, then the caption
        int[] caption = tokenizer.encode(target);
        int[] ids = new int[caption.length + 2];
        float[] targets = new float[ids.length];
        ids[0] = imageTokenId;
        System.arraycopy(caption, 0, ids, 1, caption.length);
        ids[ids.length - 1] = tokenizer.special().eos();
        Arrays.fill(targets, 1, targets.length, 1f);
        return fit(expand(ids, targets, ex, viewed), ex);
      }
      conversation = new Conversation(List.of(new ChatTemplate.Turn(0, ex.prompt(), target)));
    }
    for (int turns = conversation.turns().size(); turns >= 1; turns--) {
      List<ChatTemplate.Turn> kept = conversation.turns().subList(0, turns);
      Row row = encode(kept, Math.min(conversation.learnFrom(), turns - 1), ex, viewed);
      if (row.ids().length + 1 <= maxTokens || turns == 1) {
        return fit(row, ex);
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private Row encode(List<ChatTemplate.Turn> turns, int learnFrom, Example ex, List<ImageViews.Viewed> viewed) {
    ChatTemplate.Encoded encoded;
    if (template != null) {
      encoded = template.encode(tokenizer, turns);
    } else {
      encoded = plain(turns);
    }
    float[] targets = encoded.targets().clone();
    if (learnFrom > 0) { // replies before learnFrom are context: up to the EOS of turn learnFrom - 1
      int eos = tokenizer.special().eos();
      int seen = 0;
      for (int i = 0; i < encoded.ids().length && seen < learnFrom; i++) {
        if (targets[i] > 0 && encoded.ids()[i] == eos) {
          seen++;
        }
        targets[i] = 0;
      }
    }
    return expand(encoded.ids(), targets, ex, viewed);
  }

  // without a template: [image] message reply EOS per turn
  private ChatTemplate.Encoded plain(List<ChatTemplate.Turn> turns) {
    List<Integer> ids = new ArrayList<>();
    List<Float> targets = new ArrayList<>();
    int images = 0;
    for (ChatTemplate.Turn t : turns) {
      if (t.image() >= 0) {
        ids.add(imageTokenId);
        targets.add(0f);
        images++;
      }
      for (int id : tokenizer.encode(t.user())) {
        ids.add(id);
        targets.add(0f);
      }
      if (t.reply() != null) {
        for (int id : tokenizer.encode(" " + t.reply())) {
          ids.add(id);
          targets.add(1f);
        }
        ids.add(tokenizer.special().eos());
        targets.add(1f);
      }
    }
    return new ChatTemplate.Encoded(ids.stream().mapToInt(Integer::intValue).toArray(), toArray(targets), images);
  }

  private static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  // placeholder k becomes image k's tokens (viewed once per example), none of them learned
  private Row expand(int[] ids, float[] targets, Example ex, List<ImageViews.Viewed> viewed) {
    List<Integer> out = new ArrayList<>();
    List<Float> weights = new ArrayList<>();
    int image = 0;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] != imageTokenId) {
        out.add(ids[i]);
        weights.add(targets[i]);
        continue;
      }
      if (image >= ex.frames().size()) {
        throw new GlimpseException("example " + ex.id() + " shows more images than its " + ex.frames().size());
      }
      if (viewed.size() <= image) {
        viewed.add(views.view(ex.frames().get(image), transform));
      }
      for (int c = 0; c < viewed.get(image).tokens(); c++) {
        out.add(imageTokenId);
        weights.add(0f);
      }
      image++;
    }
    return new Row(out.stream().mapToInt(Integer::intValue).toArray(), toArray(weights),
        List.copyOf(viewed.subList(0, image)));
  }

  private Row fit(Row row, Example ex) {
    if (row.ids().length + 1 <= maxTokens) {
      return row;
    }
    int keep = maxTokens - 1;
    for (int i = keep; i < row.ids().length; i++) {
      if (row.ids()[i] == imageTokenId) {
        throw new GlimpseException("example " + ex.id() + ": its first turn needs " + (row.ids().length + 1)
            + " tokens with its image tokens, more than maxTextTokens " + maxTokens);
      }
    }
    return new Row(Arrays.copyOf(row.ids(), keep), Arrays.copyOf(row.targets(), keep), row.images());
  }

  @Override
  public ConversationBatch batch(List<Example> examples, SplittableRandom random) {
    int b = examples.size();
    Row[] rows = new Row[b];
    int length = 1;
    int views = 0;
    int images = 0;
    for (int i = 0; i < b; i++) {
      rows[i] = row(examples.get(i), random);
      length = Math.max(length, rows[i].ids().length); // inputs: BOS + ids without the last
      for (ImageViews.Viewed v : rows[i].images()) {
        views += v.views();
        images++;
      }
    }
    SpecialTokens special = tokenizer.special();
    long[] inputIds = new long[b * length];
    long[] targetIds = new long[b * length];
    float[] weights = new float[b * length];
    float[] valid = new float[b * length];
    Arrays.fill(inputIds, special.pad());
    Arrays.fill(targetIds, special.pad());
    String[] ids = new String[b];
    int[] perRow = new int[b];
    float[] pixels = new float[views * transform.floats()];
    AnyRes.Layout[] layouts = new AnyRes.Layout[images];
    int at = 0;
    int image = 0;
    for (int i = 0; i < b; i++) {
      Row row = rows[i];
      ids[i] = examples.get(i).id();
      perRow[i] = row.images().size();
      int[] seq = new int[row.ids().length + 1];
      seq[0] = special.bos();
      System.arraycopy(row.ids(), 0, seq, 1, row.ids().length);
      for (int t = 0; t + 1 < seq.length; t++) {
        int cell = i * length + t;
        inputIds[cell] = seq[t];
        targetIds[cell] = seq[t + 1];
        weights[cell] = row.targets()[t];
        valid[cell] = 1;
      }
      for (ImageViews.Viewed v : row.images()) {
        System.arraycopy(v.pixels(), 0, pixels, at, v.pixels().length);
        at += v.pixels().length;
        layouts[image++] = v.layout();
      }
    }
    long[] pixelShape = {views, 3, transform.height(), transform.width()};
    LmBatch text = new LmBatch(pixelShape, pixels, b, length, inputIds, targetIds, weights, valid, ids);
    return new ConversationBatch(text, perRow, layouts);
  }
}
