package dev.glimpse.data.loaders;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Video captions in the MSR-VTT layout: a JSON file ({@code {"videos": [{"video_id", "split", ...}],
 * "sentences": [{"video_id", "caption"}]}}) and a folder of extracted frames per video ({@code
 * <frames>/<video_id>/*.jpg|png}, in file-name order, so number them with zero padding). One example
 * per video with all its captions; {@code numFrames} frames are sampled evenly, the middle frame of
 * each of {@code numFrames} equal segments (so a clip shorter than that repeats frames, and every
 * example has exactly {@code numFrames} frames to batch).
 */
public final class VideoCaptions implements Dataset {
  /** Frames per clip when not given: GIT's video models use 6, VideoCoCa and most others 8. */
  public static final int DEFAULT_NUM_FRAMES = 8;

  private record Entry(String videoId, String split, List<String> captions) {}

  private final String name;
  private final Path framesRoot;
  private final int numFrames;
  private final List<Entry> entries;

  private VideoCaptions(String name, Path framesRoot, int numFrames, List<Entry> entries) {
    this.name = name;
    this.framesRoot = framesRoot;
    this.numFrames = numFrames;
    this.entries = entries;
  }

  public static VideoCaptions open(Path json, Path framesRoot) {
    return open(json, framesRoot, DEFAULT_NUM_FRAMES, null);
  }

  /**
   * @param numFrames frames sampled per video, at least 1
   * @param split keep only videos whose "split" is this ("train", "validate", "test"); null keeps all
   */
  public static VideoCaptions open(Path json, Path framesRoot, int numFrames, String split) {
    if (numFrames < 1) {
      throw new GlimpseException("numFrames must be at least 1, got " + numFrames);
    }
    Loaders.requireDirectory(framesRoot, "frame folder");
    Map<String, String> splits = new LinkedHashMap<>();
    Map<String, List<String>> captions = new HashMap<>();
    int[] sentenceIndex = {0};
    AnnotationJson.Parsed parsed =
        AnnotationJson.read(
            json,
            Map.of(
                "videos",
                (JsonObject video) -> {
                  String where = "videos[" + splits.size() + "]";
                  String videoId = AnnotationJson.requireString(video, "video_id", json, where);
                  checkFolderName(videoId, json, where);
                  String videoSplit = AnnotationJson.optString(video, "split");
                  if (splits.put(videoId, videoSplit == null ? "" : videoSplit) != null) {
                    throw new GlimpseException(json + ": video_id " + videoId + " is listed twice");
                  }
                },
                "sentences",
                (JsonObject sentence) -> {
                  String where = "sentences[" + sentenceIndex[0]++ + "]";
                  String videoId = AnnotationJson.requireString(sentence, "video_id", json, where);
                  String caption = AnnotationJson.requireString(sentence, "caption", json, where);
                  captions.computeIfAbsent(videoId, id -> new ArrayList<>()).add(caption.strip());
                }));
    if (splits.isEmpty()) {
      throw new GlimpseException(json + ": no \"videos\" listed (is this an MSR-VTT style file?)");
    }
    for (String videoId : captions.keySet()) {
      if (!splits.containsKey(videoId)) {
        throw new GlimpseException(json + ": a sentence refers to video_id " + videoId + ", which is not in \"videos\"");
      }
    }
    boolean hasSentences = parsed.arraysSeen().contains("sentences");
    List<Entry> entries = new ArrayList<>();
    splits.forEach(
        (videoId, videoSplit) -> {
          List<String> videoCaptions = captions.getOrDefault(videoId, List.of());
          boolean inSplit = split == null || split.equals(videoSplit);
          if (inSplit && (!hasSentences || !videoCaptions.isEmpty())) {
            entries.add(new Entry(videoId, videoSplit, List.copyOf(videoCaptions)));
          }
        });
    if (entries.isEmpty()) {
      throw new GlimpseException(json + ": no video with captions"
          + (split == null ? "" : " in split '" + split + "' (splits present: " + new java.util.TreeSet<>(splits.values())
              + ")"));
    }
    String name = "video/" + Loaders.stem(json) + (split == null ? "" : "/" + split);
    return new VideoCaptions(name, framesRoot, numFrames, List.copyOf(entries));
  }

  /** A video id names a folder: it must not climb out of the frames root. */
  private static void checkFolderName(String videoId, Path json, String where) {
    if (videoId.isEmpty() || videoId.contains("/") || videoId.contains("\\") || videoId.equals(".")
        || videoId.equals("..")) {
      throw new GlimpseException(json + ": " + where + " has video_id '" + videoId + "', which is not a folder name");
    }
  }

  /** Which of {@code total} frames to take: the middle of each of {@code count} equal segments. */
  public static int[] sampleIndices(int total, int count) {
    int[] indices = new int[count];
    for (int i = 0; i < count; i++) {
      indices[i] = (int) Math.min(total - 1, (long) Math.floor((i + 0.5) * total / count));
    }
    return indices;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return entries.size();
  }

  public int numFrames() {
    return numFrames;
  }

  @Override
  public Example get(int index) {
    Entry entry = entries.get(index);
    Path folder = framesRoot.resolve(entry.videoId());
    List<Path> files;
    try {
      files = Loaders.listImages(folder);
    } catch (IOException e) {
      throw new SampleException(
          (Files.isDirectory(folder) ? "cannot list frames in " : "frame folder not found: ") + folder, e);
    }
    if (files.isEmpty()) {
      throw new SampleException("no frame images (.jpg, .png...) in " + folder);
    }
    int[] indices = sampleIndices(files.size(), numFrames);
    List<BufferedImage> frames = new ArrayList<>(numFrames);
    Map<Integer, BufferedImage> decoded = new HashMap<>(); // a short clip repeats frames: read each once
    for (int i : indices) {
      frames.add(decoded.computeIfAbsent(i, k -> Loaders.readImage(files.get(k))));
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("video_id", entry.videoId());
    if (!entry.split().isEmpty()) {
      metadata.put("split", entry.split());
    }
    metadata.put("total_frames", files.size());
    List<Integer> frameIndices = new ArrayList<>();
    for (int i : indices) {
      frameIndices.add(i);
    }
    metadata.put("frame_indices", List.copyOf(frameIndices));
    return new Example(entry.videoId(), frames, "", entry.captions(), metadata);
  }
}
