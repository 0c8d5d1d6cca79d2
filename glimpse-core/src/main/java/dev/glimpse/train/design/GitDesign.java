package dev.glimpse.train.design;

import dev.glimpse.model.GitConfig;
import dev.glimpse.model.GitModel;

/** GIT: image encoder + text decoder with the seq2seq mask, trained by language modelling. */
public final class GitDesign extends CaptionerDesign<GitConfig> {
  public GitDesign() {
    super(GitConfig.TYPE, GitConfig.class, GitModel::new);
  }
}
