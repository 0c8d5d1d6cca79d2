package dev.glimpse.tokenize;

/** Ids of the special tokens a decoder needs. {@code unk} may be -1 (byte-level vocabularies have none). */
public record SpecialTokens(int bos, int eos, int pad, int unk) {
  public SpecialTokens {
    if (bos < 0 || eos < 0 || pad < 0) {
      throw new IllegalArgumentException("bos, eos and pad ids must be >= 0, got " + bos + ", " + eos + ", " + pad);
    }
  }

  public boolean isSpecial(int id) {
    return id == bos || id == eos || id == pad || (unk >= 0 && id == unk);
  }
}
