package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints that are verified before they replace anything: truncated, bit-flipped, hand-crafted,
 * foreign (other optimizer, configuration, model) and id-keyed checkpoints fail at {@code
 * loadState} with an {@link IOException} ({@link CheckpointException}) naming what did not match,
 * and the optimizer's previous state is intact afterwards.
 */
class CheckpointTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A 3 → {@code units} linear layer (weight (units, 3), bias (units)), initialized by seed. */
    private Block linear(int units, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Block block = new SequentialBlock().add(Linear.builder().setUnits(units).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        return block;
    }

    /** Steps an optimizer over every parameter of a block with seeded gradients. */
    private void steps(Optimizer optimizer, Block block, int n, long seed) {
        Random random = new Random(seed);
        for (int t = 0; t < n; t++) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray weight = p.getValue().getArray();
                float[] g = new float[Math.toIntExact(weight.size())];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) random.nextGaussian();
                }
                try (NDArray grad = manager.create(g, weight.getShape())) {
                    optimizer.update(p.getValue().getId(), weight, grad);
                }
            }
        }
    }

    private static byte[] save(StatefulOptimizer optimizer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        optimizer.saveState(out);
        return out.toByteArray();
    }

    private void load(StatefulOptimizer optimizer, byte[] bytes) throws IOException {
        optimizer.loadState(new ByteArrayInputStream(bytes), manager);
    }

    /** Every part of the per-parameter state, by parameter name: steps, scalars, tensor bytes. */
    private static Map<String, String> fingerprint(DescentOptimizer<?> optimizer, Block block) {
        Map<String, String> all = new TreeMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            all.put(p.getKey(), describe(optimizer.state(p.getValue().getId())));
        }
        all.put("stateBytes", String.valueOf(optimizer.stateBytes()));
        return all;
    }

    private static Map<String, String> fingerprint(WholeModelOptimizer<?> optimizer) {
        return Map.of(
                "model",
                describe(optimizer.state()),
                "stateBytes",
                String.valueOf(optimizer.stateBytes()));
    }

    private static String describe(ParameterState s) {
        if (s == null) {
            return "none";
        }
        StringBuilder b = new StringBuilder("step ").append(s.step());
        b.append(" scalars ").append(Arrays.toString(s.scalars()));
        for (NDArray a : s.buffers()) {
            b.append(' ')
                    .append(a.getDataType())
                    .append(a.getShape())
                    .append(HexFormat.of().formatHex(a.toByteArray()));
        }
        return b.toString();
    }

    /** What loading every single-bit flip of a checkpoint did. */
    private record FlipCounts(int identical, int different, int ioException, int other) {}

    /**
     * Loads every single-bit flip of {@code file} into {@code target}, whose state is {@code
     * previous} (saved as {@code previousFile}); a flip that loads is compared with {@code
     * expected} and the previous state is loaded back; after a failure the previous state must be
     * intact.
     */
    private FlipCounts flipEveryBit(
            byte[] file,
            StatefulOptimizer target,
            Supplier<Map<String, String>> fingerprint,
            Map<String, String> expected,
            byte[] previousFile)
            throws IOException {
        Map<String, String> previous = fingerprint.get();
        assertThat(previous)
                .as("the previous state differs from the checkpoint's")
                .isNotEqualTo(expected);
        int identical = 0;
        int different = 0;
        int io = 0;
        int other = 0;
        for (int bit = 0; bit < file.length * 8; bit++) {
            byte[] flipped = file.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            try {
                load(target, flipped);
                if (fingerprint.get().equals(expected)) {
                    identical++;
                } else {
                    different++;
                }
                load(target, previousFile);
            } catch (IOException e) {
                io++;
                assertThat(fingerprint.get())
                        .as("state after flip of bit %d", bit)
                        .isEqualTo(previous);
            } catch (Throwable e) {
                other++;
            }
        }
        return new FlipCounts(identical, different, io, other);
    }

    @Test
    void everySingleBitFlipOfAnAdaBeliefCheckpointFailsAndLeavesTheStateIntact()
            throws IOException {
        Block source = linear(2, 1);
        DescentOptimizer<?> original = Descent.adaBelief().build().bind(source);
        steps(original, source, 3, 11);
        byte[] file = save(original);
        assertThat(file.length).as("a small checkpoint").isBetween(200, 700);

        Block block = linear(2, 2);
        DescentOptimizer<?> target = Descent.adaBelief().build().bind(block);
        steps(target, block, 1, 12);
        FlipCounts counts =
                flipEveryBit(
                        file,
                        target,
                        () -> fingerprint(target, block),
                        fingerprint(original, source),
                        save(target));
        // CRC32 detects every single-bit error, so no flip can load.
        assertThat(counts).isEqualTo(new FlipCounts(0, 0, file.length * 8, 0));
        load(target, file);
        assertThat(fingerprint(target, block)).isEqualTo(fingerprint(original, source));
    }

    @Test
    void everySingleBitFlipOfAnMfacCheckpointFailsAndLeavesTheStateIntact() throws IOException {
        Block source = linear(2, 1);
        MFac original = Descent.mFac().optGradients(2).optMomentum(0.5).build();
        original.bind(source);
        steps(original, source, 3, 21);
        byte[] file = save(original);
        assertThat(file.length).as("a small checkpoint").isBetween(200, 900);

        Block block = linear(2, 2);
        MFac target = Descent.mFac().optGradients(2).optMomentum(0.5).build();
        target.bind(block);
        steps(target, block, 1, 22);
        FlipCounts counts =
                flipEveryBit(
                        file,
                        target,
                        () -> fingerprint(target),
                        fingerprint(original),
                        save(target));
        assertThat(counts).isEqualTo(new FlipCounts(0, 0, file.length * 8, 0));
        load(target, file);
        assertThat(fingerprint(target)).isEqualTo(fingerprint(original));
    }

    @Test
    void everyTruncationFailsWithACheckpointExceptionAndLeavesTheStateIntact() throws IOException {
        Block source = linear(2, 1);
        DescentOptimizer<?> adaBelief = Descent.adaBelief().build().bind(source);
        steps(adaBelief, source, 2, 31);
        MFac mfac = Descent.mFac().optGradients(2).build();
        mfac.bind(source);
        steps(mfac, source, 2, 32);
        byte[] perParameter = save(adaBelief);
        byte[] wholeModel = save(mfac);

        Block block = linear(2, 2);
        DescentOptimizer<?> adaBeliefTarget = Descent.adaBelief().build().bind(block);
        steps(adaBeliefTarget, block, 1, 33);
        MFac mfacTarget = Descent.mFac().optGradients(2).build();
        mfacTarget.bind(block);
        steps(mfacTarget, block, 1, 34);
        Map<String, String> before = fingerprint(adaBeliefTarget, block);
        Map<String, String> mfacBefore = fingerprint(mfacTarget);
        for (int n = 0; n < perParameter.length; n++) {
            byte[] prefix = Arrays.copyOf(perParameter, n);
            assertThatThrownBy(() -> load(adaBeliefTarget, prefix))
                    .as("AdaBelief checkpoint cut after %d of %d bytes", n, perParameter.length)
                    .isInstanceOf(CheckpointException.class);
            assertThat(fingerprint(adaBeliefTarget, block)).isEqualTo(before);
        }
        for (int n = 0; n < wholeModel.length; n++) {
            byte[] prefix = Arrays.copyOf(wholeModel, n);
            assertThatThrownBy(() -> load(mfacTarget, prefix))
                    .as("M-FAC checkpoint cut after %d of %d bytes", n, wholeModel.length)
                    .isInstanceOf(CheckpointException.class);
            assertThat(fingerprint(mfacTarget)).isEqualTo(mfacBefore);
        }
        assertThatThrownBy(() -> load(adaBeliefTarget, new byte[0]))
                .hasMessage("the stream is empty, not a Descent optimizer checkpoint");
        assertThatThrownBy(() -> load(adaBeliefTarget, Arrays.copyOf(perParameter, 100)))
                .hasMessageStartingWith("checkpoint is truncated: the manifest needs");
        assertThatThrownBy(
                        () ->
                                load(
                                        adaBeliefTarget,
                                        Arrays.copyOf(perParameter, perParameter.length - 6)))
                .hasMessageStartingWith("checkpoint is truncated: tensor 1 of '01Linear_weight'");
    }

    /** The manifest a hand-crafted AdaBelief checkpoint starts with, up to its states. */
    private static void adaBeliefPrefix(DataOutputStream m, int states) throws IOException {
        string(m, AdaBelief.class.getName());
        m.writeInt(1);
        string(m, "amsgrad");
        string(m, "false");
        m.writeByte(1); // keyed by names
        m.writeInt(0); // no model
        m.writeInt(states);
    }

    private static void string(DataOutputStream m, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        m.writeInt(bytes.length);
        m.write(bytes);
    }

    @FunctionalInterface
    private interface ManifestWriter {
        void write(DataOutputStream manifest) throws IOException;
    }

    /** A checkpoint with the given manifest and data and both checksums right. */
    private static byte[] crafted(ManifestWriter manifest, byte[] data) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        manifest.write(new DataOutputStream(body));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(file);
        out.writeInt(0x44534f53);
        out.writeInt(2);
        out.writeInt(body.size());
        out.write(body.toByteArray());
        CRC32 crc = new CRC32();
        crc.update(file.toByteArray());
        out.writeInt((int) crc.getValue());
        crc.reset();
        crc.update(data);
        out.write(data);
        out.writeInt((int) crc.getValue());
        return file.toByteArray();
    }

    /** One state of key {@code 01Linear_weight}, step 1, no scalars, one float32 tensor. */
    private static ManifestWriter oneTensor(long... shape) {
        return m -> {
            adaBeliefPrefix(m, 1);
            string(m, "01Linear_weight");
            m.writeLong(1);
            m.writeInt(0);
            m.writeInt(1);
            m.writeByte(1); // float32
            m.writeInt(shape.length);
            for (long s : shape) {
                m.writeLong(s);
            }
        };
    }

    @Test
    void aHandCraftedCheckpointWithValidChecksumsButImpossibleSizesAllocatesNothing()
            throws IOException {
        Block block = linear(2, 2);
        DescentOptimizer<?> target = Descent.adaBelief().build().bind(block);
        steps(target, block, 1, 41);
        Map<String, String> before = fingerprint(target, block);
        byte[] bytes128 = new byte[128];
        Map<byte[], String> cases =
                Map.of(
                        // the crash: 268435464·4 floats overflow int, backed by 128 bytes
                        crafted(oneTensor(268435464L, 4), bytes128),
                        "tensor 0 of the state of '01Linear_weight' of shape (268435464, 4) and"
                                + " type float32 has 4294967424 bytes, more than the 2147483639 a"
                                + " tensor may hold",
                        crafted(oneTensor(1L << 32, 1L << 32), bytes128),
                        "has more elements than a long holds",
                        crafted(oneTensor(-2, 4), bytes128),
                        "has size -2 on axis 0",
                        crafted(oneTensor(1000, 1000), bytes128),
                        "checkpoint is truncated: tensor 0 of '01Linear_weight' needs 4000000"
                                + " bytes, the stream ends after 132",
                        crafted(m -> adaBeliefPrefix(m, Integer.MAX_VALUE), new byte[0]),
                        "the number of states, 2147483647, does not fit the 0 bytes left",
                        crafted(
                                m -> {
                                    adaBeliefPrefix(m, 1);
                                    string(m, "01Linear_weight");
                                    m.writeLong(1);
                                    m.writeInt(1 << 28); // scalars
                                },
                                new byte[0]),
                        "the number of scalars of the state of '01Linear_weight', 268435456,"
                                + " does not fit the 0 bytes left",
                        crafted(
                                m -> {
                                    adaBeliefPrefix(m, 1);
                                    m.writeInt(Integer.MAX_VALUE); // key length
                                    m.write(new byte[16]); // as much as a state's other fields
                                },
                                new byte[0]),
                        "the key of state 0 has length 2147483647",
                        crafted(
                                m -> {
                                    adaBeliefPrefix(m, 1);
                                    string(m, "01Linear_weight");
                                    m.writeLong(-7);
                                },
                                new byte[0]),
                        "has step count -7");
        try (NDManager scope = manager.newSubManager()) {
            for (Map.Entry<byte[], String> c : cases.entrySet()) {
                assertThatThrownBy(
                                () -> target.loadState(new ByteArrayInputStream(c.getKey()), scope))
                        .isInstanceOf(CheckpointException.class)
                        .hasMessageContaining(c.getValue());
                assertThat(((BaseNDManager) scope).getManagedArrays())
                        .as("tensors created for: %s", c.getValue())
                        .isEmpty();
                assertThat(fingerprint(target, block)).isEqualTo(before);
            }
        }
    }

    @Test
    void aVersionOneCheckpointIsRefusedWithTheReason() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(file);
        out.writeInt(0x44534f53);
        out.writeInt(1);
        out.writeUTF(AdaBelief.class.getName());
        assertThatThrownBy(() -> load(Descent.adaBelief().build(), file.toByteArray()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("checkpoint has format version 1, which had no checksum");
    }

    @Test
    void aCheckpointOfAnotherOptimizerOrConfigurationIsRefusedWithTheOldStateIntact()
            throws IOException {
        Block source = linear(2, 1);
        DescentOptimizer<?> adaBelief = Descent.adaBelief().build().bind(source);
        steps(adaBelief, source, 2, 51);
        byte[] file = save(adaBelief);

        Block block = linear(2, 2);
        DescentOptimizer<?> lion = Descent.lion().build().bind(block);
        steps(lion, block, 1, 52);
        Map<String, String> lionBefore = fingerprint(lion, block);
        assertThatThrownBy(() -> load(lion, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(
                        "checkpoint was written by dev.descent.optim.AdaBelief, not by"
                                + " dev.descent.optim.Lion");
        assertThat(fingerprint(lion, block)).isEqualTo(lionBefore);

        DescentOptimizer<?> amsgrad = Descent.adaBelief().optAmsgrad(true).build().bind(block);
        steps(amsgrad, block, 1, 53);
        Map<String, String> amsgradBefore = fingerprint(amsgrad, block);
        assertThatThrownBy(() -> load(amsgrad, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(
                        "checkpoint was written with amsgrad = false, but this AdaBelief has"
                                + " amsgrad = true, which gives its state another layout");
        assertThat(fingerprint(amsgrad, block)).isEqualTo(amsgradBefore);
    }

    @Test
    void anMfacCheckpointOfAnotherWindowOrModelIsRefusedWithTheOldStateIntact() throws IOException {
        Block source = linear(2, 1);
        MFac small = Descent.mFac().optGradients(4).build();
        small.bind(source);
        steps(small, source, 2, 61);
        byte[] file = save(small);

        Block block = linear(2, 2);
        MFac large = Descent.mFac().optGradients(1024).build();
        large.bind(block);
        steps(large, block, 1, 62);
        Map<String, String> largeBefore = fingerprint(large);
        assertThatThrownBy(() -> load(large, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(
                        "checkpoint was written with gradients (m) = 4, but this MFac has"
                                + " gradients (m) = 1024, which gives its state another layout");
        assertThat(fingerprint(large)).isEqualTo(largeBefore);

        Block wider = linear(3, 3);
        MFac other = Descent.mFac().optGradients(4).build();
        other.bind(wider);
        steps(other, wider, 1, 63);
        Map<String, String> otherBefore = fingerprint(other);
        assertThatThrownBy(() -> load(other, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(
                        "checkpoint is of a model with 2 parameters (d = 8), the bound block has 2"
                                + " (d = 12): parameter 0 is '01Linear_weight' (2, 3) in the"
                                + " checkpoint and '01Linear_weight' (3, 3) in the block");
        assertThat(fingerprint(other)).isEqualTo(otherBefore);
    }

    @Test
    void anMfacCheckpointLoadedBeforeTheBlockIsInitializedIsCheckedAtTheFirstStep()
            throws IOException {
        Block source = linear(2, 1);
        MFac mfac = Descent.mFac().optGradients(4).build();
        mfac.bind(source);
        steps(mfac, source, 2, 71);
        byte[] file = save(mfac);

        Engine.getInstance().setRandomSeed(3);
        Block wider = new SequentialBlock().add(Linear.builder().setUnits(3).build());
        MFac resumed = Descent.mFac().optGradients(4).build();
        resumed.bind(wider);
        load(resumed, file); // the bound block has no shapes yet
        wider.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        float[] before = wider.getParameters().get(0).getValue().getArray().toFloatArray();
        assertThatThrownBy(() -> steps(resumed, wider, 1, 72))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "the optimizer state does not fit the bound block: checkpoint is of a"
                                + " model with 2 parameters (d = 8), the bound block has 2 (d ="
                                + " 12)");
        assertThat(wider.getParameters().get(0).getValue().getArray().toFloatArray())
                .isEqualTo(before);
        assertThat(resumed.state().step()).isEqualTo(2);
    }

    @Test
    void aCheckpointOfAModelWithOtherShapesOrNamesIsRefusedWithTheOldStateIntact()
            throws IOException {
        for (Supplier<DescentOptimizer<?>> build :
                List.<Supplier<DescentOptimizer<?>>>of(
                        () -> Descent.adaBelief().build(), () -> Descent.soap().build())) {
            Block source = linear(2, 1);
            DescentOptimizer<?> original = build.get().bind(source);
            steps(original, source, 2, 81);
            byte[] file = save(original);

            Block wider = linear(3, 2);
            DescentOptimizer<?> target = build.get().bind(wider);
            steps(target, wider, 1, 82);
            Map<String, String> before = fingerprint(target, wider);
            assertThatThrownBy(() -> load(target, file))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith(
                            "checkpoint: optimizer state of parameter '01Linear_bias' has shape (2)"
                                    + " but the weight has shape (3)");
            assertThat(fingerprint(target, wider)).isEqualTo(before);

            Engine.getInstance().setRandomSeed(4);
            Block deeper =
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(2).build())
                            .add(Linear.builder().setUnits(2).build());
            deeper.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            DescentOptimizer<?> renamed = build.get().bind(deeper);
            byte[] deepFile;
            steps(renamed, deeper, 1, 83);
            deepFile = save(renamed);
            DescentOptimizer<?> shallow = build.get().bind(source);
            steps(shallow, source, 1, 84);
            Map<String, String> shallowBefore = fingerprint(shallow, source);
            assertThatThrownBy(() -> load(shallow, deepFile))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessage(
                            "checkpoint parameter '02Linear_bias' is not in the bound block, whose"
                                    + " parameters are [01Linear_bias, 01Linear_weight]");
            assertThat(fingerprint(shallow, source)).isEqualTo(shallowBefore);
        }
    }

    @Test
    void anIdKeyedCheckpointResumesInItsOwnProcessButNotIntoNewParameterIds() throws IOException {
        Block block = linear(2, 1);
        DescentOptimizer<?> unbound = Descent.adaBelief().build();
        steps(unbound, block, 3, 91);
        byte[] file = save(unbound);
        Map<String, String> saved = fingerprint(unbound, block);

        // the same parameters (the same process): restores and continues
        DescentOptimizer<?> sameProcess = Descent.adaBelief().build();
        load(sameProcess, file);
        assertThat(fingerprint(sameProcess, block)).isEqualTo(saved);
        steps(sameProcess, block, 1, 92);
        for (Pair<String, Parameter> p : block.getParameters()) {
            assertThat(sameProcess.state(p.getValue().getId()).step()).isEqualTo(4);
        }

        // a new instance of the model has new ids, as in a new process
        Block fresh = linear(2, 1);
        DescentOptimizer<?> restarted = Descent.adaBelief().build();
        load(restarted, file);
        assertThat(restarted.stateBytes()).isEqualTo(unbound.stateBytes());
        float[] weight = fresh.getParameters().get(0).getValue().getArray().toFloatArray();
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> steps(restarted, fresh, 1, 93))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("keyed by parameter ids")
                    .hasMessageContaining("call bind(block) before saveState and before loadState");
            assertThat(restarted.stateBytes()).as("the stale state is freed").isZero();
            assertThat(fresh.getParameters().get(0).getValue().getArray().toFloatArray())
                    .isEqualTo(weight);
        }

        // with the new model bound, the ids are refused at load
        DescentOptimizer<?> bound = Descent.adaBelief().build().bind(fresh);
        steps(bound, fresh, 1, 94);
        Map<String, String> before = fingerprint(bound, fresh);
        assertThatThrownBy(() -> load(bound, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("is not a parameter of the bound block")
                .hasMessageContaining("call bind(block) before saveState and before loadState");
        assertThat(fingerprint(bound, fresh)).isEqualTo(before);
    }

    @Test
    void loadingReplacesTheStateAndFreesTheOldOne() throws IOException {
        Block block = linear(2, 1);
        DescentOptimizer<?> optimizer = Descent.adaBelief().build().bind(block);
        steps(optimizer, block, 2, 101);
        byte[] file = save(optimizer);
        List<NDArray> old =
                optimizer.state(block.getParameters().get(0).getValue().getId()).buffers();
        load(optimizer, file);
        assertThat(old).allMatch(NDArray::isReleased);
        assertThat(optimizer.stateBytes()).isEqualTo((2 * 6 + 2 * 2) * Float.BYTES);
    }

    @Test
    void stateViewNamesTheLiveTensorsByParameterAndRole() {
        Block block = linear(2, 1);
        DescentOptimizer<?> adaBelief = Descent.adaBelief().optAmsgrad(true).build().bind(block);
        assertThat(adaBelief.stateView()).isEmpty();
        steps(adaBelief, block, 1, 111);
        Map<String, NDArray> view = adaBelief.stateView();
        assertThat(view.keySet())
                .containsExactly(
                        "01Linear_bias/m",
                        "01Linear_bias/s",
                        "01Linear_bias/sMax",
                        "01Linear_weight/m",
                        "01Linear_weight/s",
                        "01Linear_weight/sMax");
        AdaBelief.State weight =
                (AdaBelief.State) adaBelief.state(block.getParameters().get(0).getValue().getId());
        assertThat(view.get("01Linear_weight/m")).isSameAs(weight.m());
        assertThat(view.get("01Linear_weight/sMax")).isSameAs(weight.sMax());
        assertThatThrownBy(() -> view.remove("01Linear_weight/m"))
                .isInstanceOf(UnsupportedOperationException.class);

        MFac mfac = Descent.mFac().optGradients(2).optMomentum(0.5).build();
        mfac.bind(block);
        steps(mfac, block, 1, 112);
        assertThat(mfac.stateView().keySet()).containsExactly("model/gradients", "model/velocity");
        assertThat(mfac.stateView().get("model/velocity")).isSameAs(mfac.state().velocity());
        assertThat(mfac.stateView().get("model/gradients").getShape())
                .isEqualTo(new Shape(1, 2, 8));
    }
}
