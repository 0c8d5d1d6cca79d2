package dev.glimpse.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.glimpse.model.GenLipConfig;
import dev.glimpse.model.GenLipModel;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GenLIP as the vision tower of other models (its purpose in the paper): its visual token outputs
 * feed a LLaVA-style MLP projector and a BLIP-2-style Q-Former, at any grid, and a loss on the
 * connectors' outputs trains the tower through them.
 */
class GenLipVisionTowerTest {

  @Test
  void connectorsReadGenLipVisualTokensAndTrainTheTowerThroughThem() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, 5)) {
      GenLipModel tower = new GenLipModel(store.root().sub("vision"), GenLipConfig.of(12, 4, TransformerConfig.preLn(32, 2, 2)).withVocabSize(40).withMaxTextPositions(16));
      MlpProjector projector = new MlpProjector(store.root().sub("projector"), 32, 48, ActivationType.GELU, 0.02);
      QFormer qformer = new QFormer(store.root().sub("qformer"),
          new QFormerConfig(TransformerConfig.preLn(24, 2, 4), 5, 1, 32));

      SplittableRandom random = new SplittableRandom(3);
      float[] values = new float[2 * 3 * 8 * 20];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.nextGaussian();
      }
      NDArray wide = manager.create(values, new Shape(2, 3, 8, 20)); // a 2x5 patch grid, not the trained 3x3

      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray tokens = tower.encodeImages(wide);
        assertEquals(new Shape(2, 10, 32), tokens.getShape());
        NDArray projected = projector.forward(tokens);
        assertEquals(new Shape(2, 10, 48), projected.getShape());
        assertEquals(10, projector.outputTokens(10));
        NDArray queried = qformer.forward(tokens);
        assertEquals(new Shape(2, 5, 24), queried.getShape());
        assertEquals(5, qformer.outputTokens(10));
        collector.backward(projected.square().mean().add(queried.square().mean()));
      }

      List<Parameter> towerParams = store.all().stream().filter(p -> p.name().startsWith("vision.")).toList();
      assertTrue(towerParams.size() > 4, "the tower's parameters live under its scope");
      long reached = towerParams.stream()
          .filter(p -> p.array().getGradient().abs().max().getFloat() > 0)
          .count();
      Parameter patch = towerParams.stream().filter(p -> p.name().contains("patch")).findFirst().orElseThrow();
      assertTrue(patch.array().getGradient().abs().max().getFloat() > 0, "no gradient reached " + patch.name());
      assertTrue(reached >= towerParams.size() / 2, "gradient reached only " + reached + " of " + towerParams.size()
          + " tower parameters");
    }
  }
}
