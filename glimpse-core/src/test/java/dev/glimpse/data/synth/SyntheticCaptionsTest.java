package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import org.junit.jupiter.api.Test;

class SyntheticCaptionsTest {
  @Test
  void examplesCarryImageCaptionsAndScene() {
    SyntheticCaptions data = SyntheticCaptions.of(0, Split.TRAIN, 20);
    assertEquals("synthetic-captions/train", data.name());
    assertEquals(20, data.size());
    Example e = data.get(3);
    Scene scene = e.get(Scene.KEY);
    assertEquals(data.scene(3), scene);
    assertEquals("train-3", e.id());
    assertEquals("", e.prompt());
    assertEquals(CaptionGrammar.captions(scene), e.targets());
    assertEquals(scene.width(), e.image().getWidth());
    assertTrue(e.targets().size() >= 5);
    assertEquals(20, data.scenes().size());
  }

  @Test
  void indicesOutsideTheDatasetFail() {
    SyntheticCaptions data = SyntheticCaptions.of(0, Split.VAL, 5);
    assertThrows(IndexOutOfBoundsException.class, () -> data.get(5));
    assertThrows(IndexOutOfBoundsException.class, () -> data.get(-1));
  }
}
