/**
 * Evaluation metrics that give the numbers of the official toolkits, in-process.
 *
 * <ul>
 *   <li>{@link dev.glimpse.eval.caption.CaptionMetrics}: the COCO caption toolkit (pycocoevalcap):
 *       PTB tokenization, {@code Bleu_1..4}, {@code METEOR} (exact+stem only), {@code ROUGE_L},
 *       {@code CIDEr}; {@code SPICE} reported unavailable. Files: {@link
 *       dev.glimpse.eval.caption.CocoCaptionFiles}.
 *   <li>{@link dev.glimpse.eval.vqa.VqaEvaluator}: the official VQA accuracy and answer
 *       normalization. Files: {@link dev.glimpse.eval.vqa.VqaFiles}.
 *   <li>{@link dev.glimpse.eval.retrieval.RetrievalMetrics}: image-text Recall@K, ranks, zero-shot
 *       top-k.
 * </ul>
 *
 * <p>Reference tests load {@code src/test/resources/fixtures/metrics} (inputs and the toolkits'
 * exact outputs; provenance in its README).
 */
package dev.glimpse.eval;
