package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.nn.VisionTransformer;

/**
 * The image encoder of a connector model (LLaVA, BLIP-2, Flamingo): pixels in, visual tokens out, for
 * the connector to read. Either a ViT (CLIP / EVA as HuggingFace ships them, GIT's encoder), read at a
 * chosen hidden state, or a GenLIP encoder (its visual token outputs after the final norm: what
 * GenLIP is pre-trained to be).
 */
public interface VisionTower {
  /** Visual tokens for the connector: pixels [B, 3, H, W] -> [B, N, Dv]. */
  NDArray features(NDArray pixels);

  /** Token width Dv. */
  int width();

  /**
   * Which encoder a connector config names: a GenLIP encoder when {@code genlip} is set (then
   * {@code vit} must be null), else the ViT. Sizes come from here (configs are built before models).
   */
  record Spec(VisionConfig vit, GenLipConfig genlip) {
    public Spec {
      if ((vit == null) == (genlip == null)) {
        throw new IllegalArgumentException("exactly one of 'vision' (a ViT) and 'genlipVision' (a GenLIP encoder) "
            + "must be set");
      }
    }

    public int width() {
      return vit != null ? vit.width() : genlip.width();
    }

    public int imageSize() {
      return vit != null ? vit.imageSize() : genlip.imageSize();
    }

    /** Tokens per image at the trained size (a ViT's CLS included). */
    public int tokens() {
      return vit != null ? vit.numTokens() : genlip.gridSize() * genlip.gridSize();
    }

    /** Patch tokens along a side of the trained image. */
    public int gridSize() {
      return vit != null ? vit.gridSize() : genlip.gridSize();
    }

    /** Whether the tower puts a CLS token before its patch tokens. */
    public boolean classToken() {
      return vit != null && vit.classToken();
    }

    /** A ViT tower. */
    public static Spec vit(VisionConfig config) {
      return new Spec(config, null);
    }

    /** A GenLIP tower. */
    public static Spec genlip(GenLipConfig config) {
      return new Spec(null, config);
    }

    /** What the tower is, for logs: "ViT 4x128 (48px, patch 8)". */
    public String describe() {
      if (vit != null) {
        return "ViT " + vit.encoder().layers() + "x" + vit.width() + " (" + vit.imageSize() + "px, patch "
            + vit.patchSize() + ")";
      }
      return "GenLIP " + genlip.transformer().layers() + "x" + genlip.width() + " (" + genlip.imageSize() + "px, patch "
          + genlip.patchSize() + ")";
    }
  }

  /**
   * Where a model keeps a tower: its spec and the prefix of its parameters ({@code "vision."} in GIT,
   * CLIP and the connector models; {@code ""} for a GenLIP model, which is its own tower).
   */
  record Source(Spec spec, String prefix) {}

  /**
   * A GenLIP encoder as a tower, under {@code scope} (parameters {@code patch_embed.*},
   * {@code transformer.*} as in a GenLIP checkpoint). Its text embedding exists, so a GenLIP
   * checkpoint loads as is, but never runs in the tower: it is frozen.
   */
  static VisionTower genlip(ParameterStore.Scope scope, GenLipConfig config) {
    GenLipModel model = new GenLipModel(scope, config);
    scope.store().setFrozen(scope.sub("text_embedding").prefix() + ".", true);
    return new VisionTower() {
      @Override
      public NDArray features(NDArray pixels) {
        return model.encodeImages(pixels);
      }

      @Override
      public int width() {
        return config.width();
      }
    };
  }

  /**
   * A ViT tower whose features are {@code vit.forward} (all tokens after the post-norm, BLIP-2) when
   * {@code featureLayer} is null, else hidden state {@code featureLayer} with the CLS token dropped
   * when {@code dropClassToken} (LLaVA).
   */
  static VisionTower vit(VisionTransformer vit, Integer featureLayer, boolean dropClassToken) {
    return new VisionTower() {
      @Override
      public NDArray features(NDArray pixels) {
        if (featureLayer == null) {
          return vit.forward(pixels);
        }
        NDArray hidden = vit.hiddenState(pixels, featureLayer);
        return dropClassToken ? hidden.get(":, 1:, :") : hidden;
      }

      @Override
      public int width() {
        return vit.config().width();
      }
    };
  }
}
