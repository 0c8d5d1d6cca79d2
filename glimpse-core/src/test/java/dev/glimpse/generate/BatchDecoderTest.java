package dev.glimpse.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.glimpse.model.DecodeState;
import dev.glimpse.testing.HfFolders;
import dev.glimpse.train.LoadedModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Continuous batching is exact: sequences that join a running batch at different steps, with
 * different prompts and budgets, and leave it as they finish, get the tokens each gets when decoded
 * alone by {@link Captioner#generate} (greedy), for every decoder design (GIT: visual prefix in the
 * cache; LLaVA and BLIP-2: image tokens inside the text). The batch's length stays bounded because
 * positions no row uses are dropped.
 */
class BatchDecoderTest {
  @TempDir static Path tmp;

  record Request(BufferedImage image, String prompt, int maxTokens, int joinAtStep) {}

  @ParameterizedTest
  @ValueSource(strings = {"git", "llava", "blip2"})
  void staggeredJoinsDecodeExactlyAsAlone(String fixture) {
    Path dir = HfFolders.make(tmp, fixture);
    try (NDManager base = NDManager.newBaseManager(); LoadedModel loaded = LoadedModel.load(dir, base)) {
      Captioner captioner = new Captioner(loaded.model(), loaded.tokenizer(), loaded.transform(), loaded.manager());
      String[] prompts = {"", "what color is it", "", "where", "is there a dog", ""};
      List<Request> requests = new ArrayList<>();
      int[] joins = {0, 2, 4, 5, 5, 9, 12, 13}; // 0 and 1 join alone: only the merge pads them
      for (int i = 0; i < joins.length; i++) {
        int room = captioner.room(prompts[i % prompts.length]);
        requests.add(new Request(HfFolders.picture(i, 40 + 3 * i, 36), prompts[i % prompts.length],
            Math.min(room, 6 + 3 * (i % 4)), joins[i]));
      }
      // alone, through the existing batch-of-one path
      List<Generated> alone = new ArrayList<>();
      for (Request r : requests) {
        alone.add(captioner.generate(List.of(List.of(r.image())), List.of(r.prompt()),
            GenerationConfig.greedy(r.maxTokens()), 1, null).get(0).generated());
      }
      // together, joining at their steps (two that join at the same step are prefilled together)
      Map<Integer, Generated> together = new HashMap<>();
      int maxLength = 0;
      int maxBatch = 0;
      try (NDManager m = loaded.manager().newSubManager();
          BatchDecoder batch = new BatchDecoder(loaded.model(), loaded.tokenizer().special().eos(),
              captioner.allowedVocab())) {
        int next = 0;
        for (int step = 0; next < requests.size() || batch.size() > 0; step++) {
          List<Integer> joining = new ArrayList<>();
          while (next < requests.size() && requests.get(next).joinAtStep() <= step) {
            joining.add(next++);
          }
          if (!joining.isEmpty()) {
            List<Captioner.Prepared> inputs = new ArrayList<>();
            List<String> prompts2 = new ArrayList<>();
            List<BatchDecoder.Sequence> seqs = new ArrayList<>();
            for (int i : joining) {
              inputs.add(captioner.prepare(List.of(requests.get(i).image())));
              prompts2.add(requests.get(i).prompt());
              final int id = i;
              seqs.add(new BatchDecoder.Sequence(GenerationConfig.greedy(requests.get(i).maxTokens()),
                  new BatchDecoder.Listener() {
                    @Override
                    public boolean token(int token) {
                      return false;
                    }

                    @Override
                    public void finished(BatchDecoder.Finish reason, Generated generated) {
                      together.put(id, generated);
                    }
                  }));
            }
            try (NDScope scope = new NDScope()) { // as the server's engine prefills: the scope frees the temporaries
              scope.suppressNotUsedWarning();
              DecodeState state = captioner.prefill(inputs, prompts2, m);
              assertTrue(batch.canJoin(state));
              batch.join(state, seqs);
            }
          }
          maxBatch = Math.max(maxBatch, batch.size());
          batch.step(m);
          maxLength = Math.max(maxLength, batch.length());
        }
        // every tensor of every request has been freed: nothing is left on the run's manager (a server
        // that runs for days must not grow)
        assertEquals(List.of(), m.getManagedArrays().stream().filter(a -> !a.isReleased()).toList(),
            "tensors left after every sequence ended");
      }
      assertTrue(maxBatch >= 3, "requests overlapped in the batch: " + maxBatch);
      for (int i = 0; i < requests.size(); i++) {
        assertArrayEquals(alone.get(i).tokens(), together.get(i).tokens(), fixture + " request " + i);
        assertEquals(alone.get(i).finished(), together.get(i).finished(), fixture + " request " + i);
      }
      // rows that left take their positions with them: never more than prompt + the longest budgets
      int longestPrompt = 0;
      for (Request r : requests) {
        longestPrompt = Math.max(longestPrompt, captioner.promptLength(r.prompt()));
      }
      int image = fixture.equals("git") ? 0 : 64; // image tokens inside the text for LLaVA/BLIP-2 (at most)
      assertTrue(maxLength <= longestPrompt + image + 2 * 15, "batch length stayed bounded: " + maxLength);
    }
  }
}
