package dev.glimpse.train.design;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.glimpse.connect.QFormer;
import dev.glimpse.data.QFormerBatch;
import dev.glimpse.loss.HardNegatives;
import dev.glimpse.loss.InfoNce;
import dev.glimpse.loss.LmLoss;
import dev.glimpse.model.Blip2Model;
import dev.glimpse.train.Objective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BLIP-2's first stage (Li et al. 2023, section 3.2): the Q-Former learns, over frozen image features,
 * to pull out what the text says, by three objectives on each batch of image-caption pairs, each with
 * its own self-attention mask ({@link QFormer.Mode}):
 *
 * <ul>
 *   <li>ITC ({@code loss_itc}): each query output and the text's [CLS] output are projected and
 *       normalised; an image-text pair's similarity is the best of its queries; symmetric InfoNCE with
 *       a learned temperature (uni-modal mask);
 *   <li>ITM ({@code loss_itm}): match or not, from the query outputs averaged through a linear head,
 *       over the true pairs, each image with its hardest in-batch negative text and each text with its
 *       hardest negative image ({@link HardNegatives}, from the ITC similarities; bidirectional mask);
 *   <li>ITG ({@code loss_itg}): the caption generated from [DEC], each token seeing the queries and the
 *       tokens before it (multimodal causal mask), label smoothing 0.1.
 * </ul>
 *
 * The loss is their sum; the temperature is logged as {@code temperature}.
 */
final class QFormerObjective implements Objective<QFormerBatch> {
  private final Blip2Model model;
  private final LmLoss generationLoss = new LmLoss(0.1);

  QFormerObjective(Blip2Model model) {
    this.model = model;
  }

  @Override
  public Loss loss(QFormerBatch batch, Step step) {
    NDManager m = step.manager();
    QFormerBatch.Tensors t = batch.toTensors(m);
    QFormer qformer = model.qformer();
    int q = qformer.config().numQueries();
    int b = batch.batchSize();
    NDArray visual = model.visionHidden(t.pixels(), null);                                   // [B, N, Dv]

    // ITC: queries and text apart
    NDArray unimodal = qformer.joint(visual, t.textIds(), t.valid(), QFormer.Mode.UNIMODAL);   // [B, Q+T, D]
    NDArray images = qformer.imageEmbeddings(unimodal.get(":, :" + q + ", :"));              // [B, Q, P]
    NDArray texts = qformer.textEmbeddings(unimodal.get(":, " + q + ", :"));                 // [B, P]
    NDArray similarity = images.matMul(texts.transpose().expandDims(0))                     // [B, Q, B]
        .max(new int[] {1});                                                                 // [B, B]
    NDArray scale = qformer.temperature().logitScale(similarity, step.progress());
    NDArray itc = InfoNce.fromLogits(similarity.mul(scale)).loss();

    // ITM: the true pairs, then each image with its hardest text, each text with its hardest image
    MatchPairs itmPairs = matchPairs(rows(similarity, b), batch.textKeys());
    NDArray imageIndex = m.create(itmPairs.images());
    NDArray textIndex = m.create(itmPairs.texts());
    NDArray pairs = qformer.joint(visual.get(imageIndex), t.textIds().get(textIndex), t.valid().get(textIndex),
        QFormer.Mode.BIDIRECTIONAL);                                                          // [P, Q+T, D]
    NDArray matchLogits = qformer.matchLogits(pairs.get(":, :" + q + ", :"));                 // [P, 2]
    NDArray matched = m.create(itmPairs.labels()).toType(DataType.INT64, false).reshape(-1, 1); // [P, 1]
    NDArray itm = matchLogits.logSoftmax(1).gather(matched, 1).mean().neg();

    // ITG: [DEC] caption, predicting each next token
    long length = batch.length();
    NDArray inputs = t.textIds().get(":, :" + (length - 1));
    NDArray inputValid = t.valid().get(":, :" + (length - 1));
    NDArray generated = qformer.joint(visual, inputs, inputValid, QFormer.Mode.MULTIMODAL_CAUSAL);
    NDArray logits = qformer.textLogits(generated.get(":, " + q + ":, :"));                   // [B, T-1, V+2]
    NDArray itg = generationLoss.forward(logits, t.textIds().get(":, 1:"), t.valid().get(":, 1:"));

    Map<String, NDArray> parts = new LinkedHashMap<>();
    parts.put("loss_itc", itc);
    parts.put("loss_itm", itm);
    parts.put("loss_itg", itg);
    Map<String, Double> stats = new LinkedHashMap<>();
    stats.put("temperature", qformer.temperature().value(step.progress()));
    long tokens = (long) inputValid.sum().getFloat();
    return new Loss(itc.add(itm).add(itg), tokens, parts, stats);
  }

  /**
   * ITM's pairs of a batch: image i with text i (label 1) for every i, then, for every i, image i with
   * its hardest negative text and text i with its hardest negative image (label 0; {@link
   * HardNegatives}, none where every text of the batch equals text i).
   *
   * @param images the image row of each pair
   * @param texts the text row of each pair
   * @param labels 1 for a match, 0 for a negative
   */
  record MatchPairs(long[] images, long[] texts, float[] labels) {}

  /** The ITM pairs of a batch from its ITC similarities [B][B] (image i, text j) and its text keys. */
  static MatchPairs matchPairs(float[][] similarity, long[] textKeys) {
    int b = similarity.length;
    int[] hardTexts = HardNegatives.textsFor(similarity, textKeys);
    int[] hardImages = HardNegatives.imagesFor(similarity, textKeys);
    List<Long> imageRows = new ArrayList<>();
    List<Long> textRows = new ArrayList<>();
    List<Float> labels = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      add(imageRows, textRows, labels, i, i, 1);
    }
    for (int i = 0; i < b; i++) {
      if (hardTexts[i] >= 0) {
        add(imageRows, textRows, labels, i, hardTexts[i], 0);
      }
      if (hardImages[i] >= 0) {
        add(imageRows, textRows, labels, hardImages[i], i, 0);
      }
    }
    float[] labelValues = new float[labels.size()];
    for (int i = 0; i < labelValues.length; i++) {
      labelValues[i] = labels.get(i);
    }
    return new MatchPairs(imageRows.stream().mapToLong(Long::longValue).toArray(),
        textRows.stream().mapToLong(Long::longValue).toArray(), labelValues);
  }

  private static void add(List<Long> images, List<Long> texts, List<Float> labels, int image, int text, float label) {
    images.add((long) image);
    texts.add((long) text);
    labels.add(label);
  }

  private static float[][] rows(NDArray matrix, int b) {
    float[] flat = matrix.toFloatArray();
    float[][] out = new float[b][b];
    for (int i = 0; i < b; i++) {
      System.arraycopy(flat, i * b, out[i], 0, b);
    }
    return out;
  }
}
