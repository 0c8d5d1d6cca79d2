package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoCaptionsTest {
  @TempDir Path dir;
  Path frames;
  Path json;

  /** Frame i of a clip has red level 10 * i, so a decoded frame tells its index. */
  private void writeClip(String videoId, int count, String extension) {
    for (int i = 0; i < count; i++) {
      Color color = new Color(10 * i, 0, 0);
      byte[] bytes = extension.equals("png") ? TestFiles.png(6, 4, color) : TestFiles.jpeg(6, 4, color);
      TestFiles.write(frames.resolve(videoId).resolve(String.format("%05d.%s", i, extension)), bytes);
    }
  }

  private static int frameIndex(java.awt.image.BufferedImage frame) {
    return Math.round(((frame.getRGB(2, 2) >> 16) & 0xff) / 10f);
  }

  @BeforeEach
  void writeFixture() {
    frames = dir.resolve("frames");
    writeClip("video0", 20, "png");
    writeClip("video1", 3, "png");
    writeClip("video2", 4, "png");
    TestFiles.write(frames.resolve("video2").resolve("00002.png"), TestFiles.corruptPng());
    TestFiles.write(frames.resolve("video0").resolve("notes.txt"), "not a frame");
    json =
        TestFiles.write(
            dir.resolve("train_val_videodatainfo.json"),
            """
            {"info": {"contributor": "test"},
             "videos": [
               {"category": 9, "url": "u", "video_id": "video0", "start time": 1.0, "end time": 2.0, "split": "train", "id": 0},
               {"category": 3, "video_id": "video1", "split": "train", "id": 1},
               {"category": 3, "video_id": "video2", "split": "validate", "id": 2},
               {"category": 3, "video_id": "video3", "split": "validate", "id": 3}],
             "sentences": [
               {"caption": "a man is talking", "video_id": "video0", "sen_id": 0},
               {"caption": "someone speaks", "video_id": "video0", "sen_id": 1},
               {"caption": "a short clip", "video_id": "video1", "sen_id": 2},
               {"caption": "a broken clip", "video_id": "video2", "sen_id": 3},
               {"caption": "no frames at all", "video_id": "video3", "sen_id": 4}]}
            """);
  }

  @Test
  void samplesFramesEvenlyInOrder() {
    VideoCaptions videos = VideoCaptions.open(json, frames);
    assertEquals(4, videos.size());
    Example e = videos.get(0);
    assertEquals("video0", e.id());
    assertTrue(e.isVideo());
    assertEquals(8, e.frames().size());
    assertEquals(List.of("a man is talking", "someone speaks"), e.targets());
    int[] expected = {1, 3, 6, 8, 11, 13, 16, 18}; // middles of 8 segments of 20 frames
    assertArrayEquals(expected, VideoCaptions.sampleIndices(20, 8));
    for (int i = 0; i < 8; i++) {
      assertEquals(expected[i], frameIndex(e.frames().get(i)), "frame " + i);
    }
    assertEquals(20, e.metadata().get("total_frames"));
    assertEquals("train", e.metadata().get("split"));
  }

  @Test
  void aShortClipRepeatsFramesSoEveryExampleHasTheSameCount() {
    VideoCaptions videos = VideoCaptions.open(json, frames, 6, null);
    Example e = videos.get(1);
    assertEquals(6, e.frames().size());
    assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, VideoCaptions.sampleIndices(3, 6));
    assertEquals(1, frameIndex(e.frames().get(3)));
  }

  @Test
  void splitFilterKeepsOnlyThatSplit() {
    VideoCaptions train = VideoCaptions.open(json, frames, 4, "train");
    assertEquals(2, train.size());
    assertEquals("video/train_val_videodatainfo/train", train.name());
    GlimpseException e =
        assertThrows(GlimpseException.class, () -> VideoCaptions.open(json, frames, 4, "test"));
    assertTrue(e.getMessage().contains("split 'test'") && e.getMessage().contains("validate"), e.getMessage());
  }

  @Test
  void corruptFrameAndMissingFolderThrowNamingThem() {
    VideoCaptions videos = VideoCaptions.open(json, frames, 4, null);
    SampleException corrupt = assertThrows(SampleException.class, () -> videos.get(2));
    assertTrue(corrupt.getMessage().contains("00002.png"), corrupt.getMessage());
    SampleException missing = assertThrows(SampleException.class, () -> videos.get(3));
    assertTrue(missing.getMessage().contains("video3"), missing.getMessage());
    SkippingDataset training = new SkippingDataset(videos, new SkipLog("v", w -> {}));
    assertEquals("video0", training.get(2).id(), "wraps past the two bad videos");
    assertEquals(2, training.skippedCount());
  }

  @Test
  void malformedJsonIsAnErrorNamingTheFile() {
    Path bad = TestFiles.write(dir.resolve("videos.json"), "{\"videos\": {\"video_id\": \"video0\"}}");
    GlimpseException e = assertThrows(GlimpseException.class, () -> VideoCaptions.open(bad, frames));
    assertTrue(e.getMessage().contains("videos.json") && e.getMessage().contains("array"), e.getMessage());
    Path escape = TestFiles.write(dir.resolve("escape.json"), "{\"videos\": [{\"video_id\": \"../x\"}]}");
    e = assertThrows(GlimpseException.class, () -> VideoCaptions.open(escape, frames));
    assertTrue(e.getMessage().contains("../x"), e.getMessage());
    assertThrows(GlimpseException.class, () -> VideoCaptions.open(json, frames, 0, null));
  }
}
