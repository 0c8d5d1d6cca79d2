package dev.glimpse.train;

/**
 * The micro-batches of a run as a pure function of (step, micro): the same call always gives the
 * same batch, which makes resumed runs exact. Called from a loader thread; must not touch tensors.
 */
public interface BatchSource<B> {
  B batch(long step, int micro);
}
