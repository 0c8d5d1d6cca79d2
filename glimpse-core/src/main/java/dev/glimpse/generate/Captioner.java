package dev.glimpse.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.ImageViews;
import dev.glimpse.model.CaptioningModel;
import dev.glimpse.model.ImageSequence;
import dev.glimpse.model.TakesImageSequences;
import dev.glimpse.data.NativeImage;
import dev.glimpse.data.NativeResolution;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.NativeResolutionModel;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.tokenize.Tokenizer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Images (or clips) plus an optional prompt (a VQA question) to text, in batches: preprocessing,
 * prefill, decoding and detokenisation for any {@link CaptioningModel}.
 */
public final class Captioner {
  private final CaptioningModel model;
  private final Tokenizer tokenizer;
  private final ImageTransform transform;
  private final NDManager manager;

  public Captioner(CaptioningModel model, Tokenizer tokenizer, ImageTransform transform, NDManager manager) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.transform = transform;
    this.manager = manager;
  }

  /** One output: the text and the raw generation. */
  public record Caption(String text, Generated generated) {}

  public List<Caption> caption(List<BufferedImage> images, GenerationConfig cfg, int batchSize) {
    List<List<BufferedImage>> clips = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    for (BufferedImage image : images) {
      clips.add(List.of(image));
      prompts.add("");
    }
    return generate(clips, prompts, cfg, batchSize, null);
  }

  /**
   * @param clips one image, or the frames of a clip, per item
   * @param prompts per item: "" for captioning, the question for VQA
   * @param processor optional logits processor (constrained decoding), may be null
   */
  public List<Caption> generate(List<List<BufferedImage>> clips, List<String> prompts, GenerationConfig cfg,
      int batchSize, LogitsProcessor processor) {
    List<int[]> ids = new ArrayList<>();
    for (String prompt : prompts) {
      ids.add(prompt.isEmpty() ? new int[0] : tokenizer.encode(prompt));
    }
    return generateFromIds(clips, ids, cfg, batchSize, processor);
  }

  /**
   * As {@link #generate}, with prompts given as ids (without BOS): a conversation written by the
   * model's chat template ({@code ChatTemplate#encode}), image placeholders included.
   */
  public List<Caption> generateFromIds(List<List<BufferedImage>> clips, List<int[]> prompts, GenerationConfig cfg,
      int batchSize, LogitsProcessor processor) {
    List<Caption> out = new ArrayList<>();
    Generator generator = new Generator(model, tokenizer.special().eos(), tokenizer.special().pad());
    for (int start = 0; start < clips.size(); start += batchSize) {
      int end = Math.min(clips.size(), start + batchSize);
      try (NDScope scope = new NDScope(); NDManager batchManager = manager.newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray[] prompt = prompts(prompts.subList(start, end), batchManager);
        // the text position table bounds prompt + generated tokens
        int room = model.maxTextLength() - (int) prompt[0].getShape().get(1);
        if (room < 1) {
          throw new dev.glimpse.util.GlimpseException("the prompt leaves no room to generate (the model takes "
              + model.maxTextLength() + " text tokens)");
        }
        GenerationConfig bounded = cfg.withMaxNewTokens(Math.min(cfg.maxNewTokens(), room));
        try (DecodeState state = prefill(clips.subList(start, end), batchManager, prompt, bounded.useCache())) {
          final int offset = start;
          LogitsProcessor shifted = processor == null ? null
              : (row, generated, scores) -> processor.process(offset + row, generated, scores);
          for (Generated g : generator.generate(state, bounded, withinTokenizer(shifted))) {
            out.add(new Caption(tokenizer.decode(g.tokens()), g));
          }
        }
      }
    }
    return out;
  }

  /**
   * One image (or clip) preprocessed for the model, ready to batch: the resized and normalised pixels,
   * the patches of a native-resolution model, or, for a model of image sequences, each image seen as
   * it sees it ({@code views}: one view, or AnyRes's base view and tiles). Made by {@link #prepare}, on
   * any thread.
   *
   * @param views the images' views for a model of image sequences, else null
   */
  public record Prepared(float[] pixels, int frames, NativeImage nativeImage, List<ImageViews.Viewed> views) {
    public Prepared(float[] pixels, int frames, NativeImage nativeImage) {
      this(pixels, frames, nativeImage, null);
    }
  }

  /** Preprocesses one image or clip (thread-safe: preprocessing reads only the transform). */
  public Prepared prepare(List<BufferedImage> clip) {
    if (model instanceof TakesImageSequences sequences && !sequences.readsVideo()) {
      // as generate() sees them: an AnyRes LLaVA takes each image at its own grid of tiles
      List<ImageViews.Viewed> views = new ArrayList<>();
      for (BufferedImage image : clip) {
        views.add(sequences.imageViews().view(image, transform));
      }
      return new Prepared(null, clip.size(), null, List.copyOf(views));
    }
    if (model instanceof NativeResolutionModel n && n.nativeResolution() != null) {
      return new Prepared(null, 1, n.nativeResolution().apply(clip.get(0), transform));
    }
    int per = transform.floats();
    float[] data = new float[clip.size() * per];
    for (int f = 0; f < clip.size(); f++) {
      transform.apply(clip.get(f), data, f * per);
    }
    return new Prepared(data, clip.size(), null);
  }

  /**
   * Encodes prepared inputs and their prompts ("" to caption, else the question) with the KV cache,
   * leaving each row's first next-token logits in the state; the caller owns (and closes) the state.
   * Rows are right-padded to the longest prompt, as {@link #generate} batches them.
   */
  public DecodeState prefill(List<Prepared> inputs, List<String> prompts, NDManager m) {
    List<int[]> ids = new ArrayList<>();
    for (String p : prompts) {
      ids.add(p.isEmpty() ? new int[0] : tokenizer.encode(p));
    }
    return prefillIds(inputs, ids, m);
  }

  /** As {@link #prefill}, with prompts given as ids without BOS (a conversation written by a chat template). */
  public DecodeState prefillIds(List<Prepared> inputs, List<int[]> prompts, NDManager m) {
    NDArray[] prompt = prompts(prompts, m);
    Prepared first = inputs.get(0);
    if (first.views() != null && model instanceof TakesImageSequences sequences) {
      List<List<ImageViews.Viewed>> rows = new ArrayList<>();
      for (Prepared p : inputs) {
        rows.add(p.views());
      }
      return sequences.prefillSequence(ImageSequence.of(rows, transform, m), prompt[0], prompt[1], true);
    }
    if (first.nativeImage() != null) {
      List<NativeImage> images = new ArrayList<>();
      for (Prepared p : inputs) {
        images.add(p.nativeImage());
      }
      return ((NativeResolutionModel) model).prefillNative(images, prompt[0], prompt[1], true);
    }
    int per = transform.floats();
    float[] data = new float[inputs.size() * first.frames() * per];
    for (int i = 0; i < inputs.size(); i++) {
      Prepared p = inputs.get(i);
      if (p.frames() != first.frames()) {
        throw new IllegalArgumentException("all clips in a batch need the same number of frames");
      }
      System.arraycopy(p.pixels(), 0, data, i * first.frames() * per, first.frames() * per);
    }
    Shape shape = first.frames() == 1
        ? new Shape(inputs.size(), 3, transform.height(), transform.width())
        : new Shape(inputs.size(), first.frames(), 3, transform.height(), transform.width());
    return model.prefill(m.create(data, shape), prompt[0], prompt[1], true);
  }

  /**
   * The ids (without BOS) of a chat request for this model: with a chat template (a connector model
   * trained by Glimpse) the conversation {@code history} written by it (the message that shows the
   * image gets the placeholder; without history, {@code prompt} as one turn, or the template's caption
   * request when it is ""); without one, {@code prompt} as the text prefix it has always been.
   *
   * @param history user and assistant messages, the last a user message; may be empty
   */
  public int[] promptIds(String prompt, List<Chat.Message> history) {
    ChatTemplate template = tokenizer.chatTemplate();
    if (template == null) {
      return prompt.isEmpty() ? new int[0] : tokenizer.encode(prompt);
    }
    if (history.isEmpty()) {
      return template.encode(tokenizer, List.of(ChatTemplate.Turn.ask(0, prompt.isEmpty() ? template.caption()
          : prompt))).ids();
    }
    return template.encode(tokenizer, Chat.turns(history)).ids();
  }

  /** Tokens that may follow prompt ids (without BOS): the model's text positions left after them. */
  public int roomAfter(int[] promptIds) {
    int max = model.maxTextLength() - 1;
    return model.maxTextLength() - (Math.min(promptIds.length, Math.max(0, max - 1)) + 1);
  }

  /** Prompt tokens of a prompt as {@link #prefill} feeds it (BOS included, long questions cut). */
  public int promptLength(String prompt) {
    int max = model.maxTextLength() - 1;
    int ids = prompt.isEmpty() ? 0 : Math.min(tokenizer.encode(prompt).length, Math.max(0, max - 1));
    return ids + 1;
  }

  /** Tokens that may follow a prompt: the model's text positions left after it. */
  public int room(String prompt) {
    return model.maxTextLength() - promptLength(prompt);
  }

  /** Ids at or above this are never generated (the tokenizer cannot write them). */
  public int allowedVocab() {
    return Math.min(model.vocabSize(), tokenizer.vocabSize());
  }

  /** BOS + the prompt's ids + the ids of {@code text}, as the model reads them after the image: [1, T]. */
  public long[] textIds(String prompt, String text) {
    int[] p = prompt.isEmpty() ? new int[0] : tokenizer.encode(prompt);
    int[] t = text.isEmpty() ? new int[0] : tokenizer.encode(text);
    long[] out = new long[1 + p.length + t.length];
    out[0] = tokenizer.special().bos();
    for (int i = 0; i < p.length; i++) {
      out[1 + i] = p[i];
    }
    for (int i = 0; i < t.length; i++) {
      out[1 + p.length + i] = t[i];
    }
    return out;
  }

  public CaptioningModel model() {
    return model;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public ImageTransform transform() {
    return transform;
  }

  /**
   * Ids the tokenizer cannot write are never generated: a model may hold more embedding rows than its
   * tokenizer has ids (an image token placed after the tokenizer's ids, rows padded to a round size);
   * nor is the image placeholder of a model that reads image sequences.
   */
  private LogitsProcessor withinTokenizer(LogitsProcessor processor) {
    int image = model instanceof TakesImageSequences sequences ? sequences.imageTokenId() : -1;
    return withinTokenizer(processor, tokenizer.vocabSize(), model.vocabSize(), image);
  }

  /**
   * {@code processor}, then no id at or past {@code known} (the tokenizer's ids) of a {@code
   * modelVocab}-id model, and not {@code image} (the image placeholder; -1 when there is none).
   */
  static LogitsProcessor withinTokenizer(LogitsProcessor processor, int known, int modelVocab, int image) {
    if (modelVocab <= known && image < 0) {
      return processor;
    }
    return (row, generated, scores) -> {
      if (processor != null) {
        processor.process(row, generated, scores);
      }
      Arrays.fill(scores, Math.min(known, scores.length), scores.length, Float.NEGATIVE_INFINITY);
      if (image >= 0 && image < scores.length) {
        scores[image] = Float.NEGATIVE_INFINITY; // an image token would stand for an image that is not there
      }
    };
  }

  // Native-resolution models get each image at its own patch grid; models of image sequences each image
  // seen as they see it (AnyRes tiles); the others one resized tensor.
  private DecodeState prefill(List<List<BufferedImage>> clips, NDManager m, NDArray[] prompt, boolean useCache) {
    if (model instanceof TakesImageSequences sequences && !sequences.readsVideo()) {
      List<List<ImageViews.Viewed>> rows = new ArrayList<>();
      for (List<BufferedImage> clip : clips) {
        List<ImageViews.Viewed> row = new ArrayList<>();
        for (BufferedImage image : clip) {
          row.add(sequences.imageViews().view(image, transform));
        }
        rows.add(row);
      }
      return sequences.prefillSequence(ImageSequence.of(rows, transform, m), prompt[0], prompt[1], useCache);
    }
    if (model instanceof NativeResolutionModel n && n.nativeResolution() != null) {
      NativeResolution resolution = n.nativeResolution();
      List<NativeImage> images = new ArrayList<>();
      for (List<BufferedImage> clip : clips) {
        images.add(resolution.apply(clip.get(0), transform));
      }
      return n.prefillNative(images, prompt[0], prompt[1], useCache);
    }
    return model.prefill(pixels(clips, m), prompt[0], prompt[1], useCache);
  }

  private NDArray pixels(List<List<BufferedImage>> clips, NDManager m) {
    int frames = clips.get(0).size();
    int per = transform.floats();
    float[] data = new float[clips.size() * frames * per];
    for (int i = 0; i < clips.size(); i++) {
      List<BufferedImage> clip = clips.get(i);
      if (clip.size() != frames) {
        throw new IllegalArgumentException("all clips in a batch need the same number of frames");
      }
      for (int f = 0; f < frames; f++) {
        transform.apply(clip.get(f), data, (i * frames + f) * per);
      }
    }
    Shape shape = frames == 1
        ? new Shape(clips.size(), 3, transform.height(), transform.width())
        : new Shape(clips.size(), frames, 3, transform.height(), transform.width());
    return m.create(data, shape);
  }

  // [BOS] + prompt ids, right-padded: {ids [B, T], valid [B, T]}
  private NDArray[] prompts(List<int[]> prompts, NDManager m) {
    int b = prompts.size();
    int[][] encoded = new int[b][];
    int length = 1;
    for (int i = 0; i < b; i++) {
      int[] ids = prompts.get(i);
      int max = model.maxTextLength() - 1;
      if (ids.length > max - 1) {
        ids = java.util.Arrays.copyOf(ids, Math.max(0, max - 1));
      }
      encoded[i] = ids;
      length = Math.max(length, ids.length + 1);
    }
    long[] ids = new long[b * length];
    float[] valid = new float[b * length];
    Arrays.fill(ids, tokenizer.special().pad());
    for (int i = 0; i < b; i++) {
      ids[i * length] = tokenizer.special().bos();
      valid[i * length] = 1;
      for (int t = 0; t < encoded[i].length; t++) {
        ids[i * length + 1 + t] = encoded[i][t];
        valid[i * length + 1 + t] = 1;
      }
    }
    return new NDArray[] {m.create(ids, new Shape(b, length)), m.create(valid, new Shape(b, length))};
  }
}
