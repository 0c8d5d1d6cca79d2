package dev.glimpse.data;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * One training or evaluation item, whatever its source (synthetic scenes, COCO, VQAv2, video JSON,
 * WebDataset shards).
 *
 * @param id stable identifier (image id, question id, shard key)
 * @param frames one image, or the frames of a video clip in order
 * @param prompt text given to the model before the target: a VQA question, "" for captioning
 * @param targets reference texts: captions, or the answers (training samples one of them)
 * @param extras source-specific annotations (a synthetic {@code Scene}, VQA answer types, boxes...)
 */
public record Example(
    String id, List<BufferedImage> frames, String prompt, List<String> targets, Map<String, Object> extras) {
  /**
   * Extras key of a group's members ({@link #group}): a list of examples about the same image, trained
   * in one row (see {@link LmBatcher} with packed texts).
   */
  public static final String MEMBERS = "members";

  public Example {
    if (frames == null || frames.isEmpty()) {
      throw new IllegalArgumentException("example " + id + " has no image");
    }
    frames = List.copyOf(frames);
    prompt = prompt == null ? "" : prompt;
    targets = List.copyOf(targets);
    extras = extras == null ? Map.of() : Map.copyOf(extras);
  }

  /** A captioning example: one image, its reference captions. */
  public static Example caption(String id, BufferedImage image, List<String> captions, Map<String, Object> extras) {
    return new Example(id, List.of(image), "", captions, extras);
  }

  /**
   * Several texts about one image (its VQA questions, a caption) as one example: the first member's
   * id, image, prompt and targets, and all members under {@link #MEMBERS}. A batcher that packs texts
   * trains every member in one row; any other reader sees the first member.
   */
  public static Example group(List<Example> members) {
    if (members == null || members.isEmpty()) {
      throw new IllegalArgumentException("a group needs at least one member");
    }
    Example first = members.get(0);
    Map<String, Object> extras = new java.util.HashMap<>(first.extras());
    extras.put(MEMBERS, List.copyOf(members));
    return new Example(first.id(), first.frames(), first.prompt(), first.targets(), extras);
  }

  /** The texts of this example: a group's members ({@link #group}), or the example itself. */
  @SuppressWarnings("unchecked")
  public List<Example> members() {
    return extras.get(MEMBERS) instanceof List<?> list ? (List<Example>) list : List.of(this);
  }

  public BufferedImage image() {
    return frames.get(0);
  }

  public boolean isVideo() {
    return frames.size() > 1;
  }
}
