package dev.glimpse.data;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * One training or evaluation item, whatever its source (synthetic scenes, COCO, VQAv2, video JSON,
 * WebDataset shards).
 *
 * @param id stable identifier (image id, question id, shard key)
 * @param frames one image, the frames of a video clip in order, the images of an interleaved
 *     sequence in order ({@link Conversation}), or none for a text-only example ({@link #text})
 * @param prompt text given to the model before the target: a VQA question, "" for captioning
 * @param targets reference texts: captions, or the answers (training samples one of them)
 * @param metadata scalar fields the source file gave beside the texts (a JSONL line's other members,
 *     a WebDataset shard and key, an image folder's class folder), by their names there
 * @param annotations what Glimpse itself knows about the item, by typed key ({@link #get}): the
 *     synthetic scene it was drawn from, a VQA question's ids and types, a group's members
 */
public record Example(String id, List<BufferedImage> frames, String prompt, List<String> targets,
    Map<String, Object> metadata, Map<Annotation<?>, Object> annotations) {
  /**
   * A group's members ({@link #group}): examples about the same image, trained in one row (see {@link
   * LmBatcher} with packed texts).
   */
  public static final Annotation<List<Example>> MEMBERS = Annotation.named("members");

  public Example {
    if (frames == null) {
      throw new IllegalArgumentException("example " + id + " has no image list");
    }
    frames = List.copyOf(frames);
    prompt = prompt == null ? "" : prompt;
    targets = List.copyOf(targets);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** An example with source metadata and no annotations. */
  public Example(String id, List<BufferedImage> frames, String prompt, List<String> targets,
      Map<String, Object> metadata) {
    this(id, frames, prompt, targets, metadata, Map.of());
  }

  /** A captioning example: one image, its reference captions. */
  public static Example caption(String id, BufferedImage image, List<String> captions, Map<String, Object> metadata) {
    return new Example(id, List.of(image), "", captions, metadata);
  }

  /** A captioning example with no metadata. */
  public static Example caption(String id, BufferedImage image, List<String> captions) {
    return new Example(id, List.of(image), "", captions, Map.of());
  }

  /** The annotation under {@code key}, or null when the example has none. */
  @SuppressWarnings("unchecked")
  public <T> T get(Annotation<T> key) {
    return (T) annotations.get(key);
  }

  /** This example with {@code value} under {@code key}. */
  public <T> Example with(Annotation<T> key, T value) {
    Map<Annotation<?>, Object> more = new java.util.HashMap<>(annotations);
    more.put(key, value);
    return new Example(id, frames, prompt, targets, metadata, more);
  }

  /** This example with other texts (the same image, metadata and annotations). */
  public Example withTexts(String newPrompt, List<String> newTargets) {
    return new Example(id, frames, newPrompt, newTargets, metadata, annotations);
  }

  /**
   * A text-only example (a language model's training text): no image, the text as its one target.
   */
  public static Example text(String id, String text, Map<Annotation<?>, Object> annotations) {
    return new Example(id, List.of(), "", List.of(text), Map.of(), annotations);
  }

  /** Whether the example has no image (a language model's text). */
  public boolean textOnly() {
    return frames.isEmpty();
  }

  /**
   * Several texts about one image (its VQA questions, a caption) as one example: the first member's
   * id, image, prompt, targets and annotations, and all members under {@link #MEMBERS}. A batcher that
   * packs texts trains every member in one row; any other reader sees the first member.
   */
  public static Example group(List<Example> members) {
    if (members == null || members.isEmpty()) {
      throw new IllegalArgumentException("a group needs at least one member");
    }
    return members.get(0).with(MEMBERS, List.copyOf(members));
  }

  /** The texts of this example: a group's members ({@link #group}), or the example itself. */
  public List<Example> members() {
    List<Example> members = get(MEMBERS);
    return members == null ? List.of(this) : members;
  }

  /** The (first) image; a text-only example has none, which is an error naming the example. */
  public BufferedImage image() {
    if (frames.isEmpty()) {
      throw new dev.glimpse.util.GlimpseException("example " + id + " is text only; this model needs an image");
    }
    return frames.get(0);
  }

  public boolean isVideo() {
    return frames.size() > 1;
  }
}
