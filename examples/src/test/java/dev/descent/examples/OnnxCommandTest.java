package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code descent onnx inspect} and {@code descent onnx eval} on the MLP fixture (a copy of
 * onnx-bridge's {@code mlp_opset17.onnx}, see the README next to it) and on a one-node graph built
 * here that does not import into DJL.
 */
class OnnxCommandTest {

    /** Float32 outputs: ONNX Runtime against torch's numbers in the fixture's sample. */
    private static final double FLOAT32_ATOL = 1e-5;

    /** Central differences in float32 against exact gradients (step ∛ε·max(1,|x|)). */
    private static final double FD_ATOL = 2e-3;

    /** Two rows of onnx-bridge's {@code mlp.sample.json} and torch's outputs on them. */
    private static final double[][] SAMPLE_INPUT = {
        {-0.14995573461055756, -2.0037434101104736, 0.23057062923908234, 0.4503049850463867},
        {-0.33572059869766235, -0.0674092099070549, 0.7805400490760803, -0.5122902989387512}
    };

    private static final double[][] SAMPLE_OUTPUT = {
        {0.19088345766067505, 0.2615174651145935}, {0.19408950209617615, 0.2681064009666443}
    };

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = DescentCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static String mlp() {
        try {
            return Path.of(OnnxCommandTest.class.getResource("onnx/mlp_opset17.onnx").toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** y = sin(x) on x FLOAT [batch, 3]: Sin is not among the importable operators. */
    private Path sinModel() throws IOException {
        OnnxMl.TypeProto.Tensor.Builder type =
                OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(
                                OnnxMl.TensorShapeProto.newBuilder()
                                        .addDim(
                                                OnnxMl.TensorShapeProto.Dimension.newBuilder()
                                                        .setDimParam("batch"))
                                        .addDim(
                                                OnnxMl.TensorShapeProto.Dimension.newBuilder()
                                                        .setDimValue(3)));
        OnnxMl.GraphProto graph =
                OnnxMl.GraphProto.newBuilder()
                        .setName("sin")
                        .addInput(
                                OnnxMl.ValueInfoProto.newBuilder()
                                        .setName("x")
                                        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(type)))
                        .addOutput(
                                OnnxMl.ValueInfoProto.newBuilder()
                                        .setName("y")
                                        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(type)))
                        .addNode(
                                OnnxMl.NodeProto.newBuilder()
                                        .setName("sine")
                                        .setOpType("Sin")
                                        .addInput("x")
                                        .addOutput("y"))
                        .build();
        OnnxMl.ModelProto model =
                OnnxMl.ModelProto.newBuilder()
                        .setIrVersion(8)
                        .setProducerName("descent-tests")
                        .setGraph(graph)
                        .addOpsetImport(
                                OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                        .build();
        Path file = dir.resolve("sin.onnx");
        Files.write(file, model.toByteArray());
        return file;
    }

    private Path csv(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static String sampleCsv() {
        StringBuilder b = new StringBuilder("a,b,c,d\n");
        for (double[] row : SAMPLE_INPUT) {
            b.append(String.join(",", Arrays.stream(row).mapToObj(Double::toString).toList()))
                    .append('\n');
        }
        return b.toString();
    }

    /** Parses the CSV written by eval, skipping its header. */
    private static double[][] parse(String csv) {
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).doesNotMatch(".*\\d\\.\\d.*");
        return lines.stream()
                .skip(1)
                .map(l -> Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
                .toArray(double[][]::new);
    }

    @Test
    void inspectDescribesTheMlp() {
        assertThat(run("onnx", "inspect", mlp())).isZero();

        assertThat(out.toString())
                .contains("Opsets: ai.onnx 17")
                .containsPattern("Inputs:\\R  x  FLOAT +\\[batch, 4\\]")
                .containsPattern("Outputs:\\R  y  FLOAT +\\[batch, 2\\]")
                .containsPattern("Gemm +5")
                .contains("Erf")
                .contains("Imports into DJL: yes");
    }

    @Test
    void inspectListsTheNodesThatDoNotImport() throws IOException {
        assertThat(run("onnx", "inspect", sinModel().toString())).isZero();

        assertThat(out.toString())
                .containsPattern("Sin +1")
                .contains("Imports into DJL: no (1 unsupported node;")
                .contains("operator Sin is not supported");
    }

    @Test
    void aMissingModelIsInvalidInputNamingThePath() {
        assertThat(run("onnx", "inspect", "no/such/model.onnx")).isEqualTo(2);

        assertThat(err.toString()).contains("model file not found:").contains("model.onnx");
    }

    @Test
    void evalMatchesTorchOnTheSampleFromCsvWithAHeader() throws IOException {
        Path input = csv("x.csv", sampleCsv());

        assertThat(run("onnx", "eval", mlp(), "--input", input.toString())).isZero();

        assertThat(out.toString()).startsWith("y_0,y_1\n");
        double[][] y = parse(out.toString());
        assertThat(y).hasDimensions(2, 2);
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 2; j++) {
                assertThat(y[r][j]).isCloseTo(SAMPLE_OUTPUT[r][j], within(FLOAT32_ATOL));
            }
        }
    }

    @Test
    void jsonAndCsvGiveTheSameOutputs() throws IOException {
        Path json = csv("x.json", Arrays.deepToString(SAMPLE_INPUT));
        assertThat(run("onnx", "eval", mlp(), "--input", json.toString())).isZero();
        String fromJson = out.toString();
        out.getBuffer().setLength(0);

        assertThat(run("onnx", "eval", mlp(), "--input", csv("x.csv", sampleCsv()).toString()))
                .isZero();

        assertThat(out.toString()).isEqualTo(fromJson);
    }

    @Test
    void exactGradientIsLinearInTheWeightsAndMatchesFiniteDifferences() throws IOException {
        String input = csv("x.csv", sampleCsv()).toString();

        assertThat(run("onnx", "eval", mlp(), "--input", input, "--grad")).isZero();
        assertThat(err.toString())
                .contains("gradient of the sum of the outputs: exact (graph imported into DJL");
        double[][] sum = parse(out.toString());
        out.getBuffer().setLength(0);
        assertThat(run("onnx", "eval", mlp(), "--input", input, "--grad", "--weights", "1,0"))
                .isZero();
        double[][] first = parse(out.toString());
        out.getBuffer().setLength(0);
        assertThat(run("onnx", "eval", mlp(), "--input", input, "--grad", "--weights", "0,1"))
                .isZero();
        double[][] second = parse(out.toString());
        out.getBuffer().setLength(0);
        assertThat(
                        run(
                                "onnx",
                                "eval",
                                mlp(),
                                "--input",
                                input,
                                "--grad",
                                "--derivatives",
                                "CENTRAL_DIFFERENCES"))
                .isZero();
        double[][] estimated = parse(out.toString());

        assertThat(sum).hasDimensions(2, 2 + 4);
        for (int r = 0; r < 2; r++) {
            for (int i = 2; i < 6; i++) {
                assertThat(sum[r][i])
                        .as("row %d, gradient %d", r, i - 2)
                        .isCloseTo(first[r][i] + second[r][i], within(FLOAT32_ATOL))
                        .isCloseTo(estimated[r][i], within(FD_ATOL));
            }
        }
        assertThat(err.toString()).contains("estimated (central finite differences");
    }

    @Test
    void aGraphThatDoesNotImportGetsAnEstimatedGradientWrittenToAFile() throws IOException {
        Path input = csv("x.csv", "0.1,0.5,-1\n2,0,0.25\n");
        Path output = dir.resolve("out/y.csv");

        assertThat(
                        run(
                                "onnx",
                                "eval",
                                sinModel().toString(),
                                "--input",
                                input.toString(),
                                "--grad",
                                "--output",
                                output.toString()))
                .isZero();

        assertThat(out.toString())
                .contains("Wrote 2 rows (3 outputs, 3 gradient values each) to " + output)
                .contains("estimated (central finite differences through ONNX Runtime, 12 model");
        double[][] rows = parse(Files.readString(output));
        double[][] x = {{0.1, 0.5, -1}, {2, 0, 0.25}};
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < 3; i++) {
                assertThat(rows[r][i]).isCloseTo(Math.sin(x[r][i]), within(FLOAT32_ATOL));
                assertThat(rows[r][3 + i]).isCloseTo(Math.cos(x[r][i]), within(FD_ATOL));
            }
        }
    }

    @Test
    void aBadCsvValueIsReportedWithLineAndColumn() throws IOException {
        Path input = csv("x.csv", "a,b,c,d\n1,2,3,4\n1,abc,3,4\n");

        assertThat(run("onnx", "eval", mlp(), "--input", input.toString())).isEqualTo(1);

        assertThat(err.toString())
                .contains("x.csv line 3, column 3 (field 2): 'abc' is not a number");
    }

    @Test
    void aRowOfTheWrongLengthNamesTheExpectedWidth() throws IOException {
        Path input = csv("x.csv", "1,2,3,4\n1,2,3\n");

        assertThat(run("onnx", "eval", mlp(), "--input", input.toString())).isEqualTo(1);

        assertThat(err.toString())
                .contains("x.csv line 2: row 2 has 3 values, expected 4")
                .contains("input x FLOAT [batch, 4]");
    }

    @Test
    void weightsMustMatchTheOutputsAndNeedGrad() throws IOException {
        String input = csv("x.csv", "1,2,3,4\n").toString();

        assertThat(run("onnx", "eval", mlp(), "--input", input, "--grad", "--weights", "1,2,3"))
                .isEqualTo(2);
        assertThat(run("onnx", "eval", mlp(), "--input", input, "--weights", "1,2")).isEqualTo(2);

        assertThat(err.toString())
                .contains("--weights has 3 values, expected 2 (one per value of output y")
                .contains("--weights only applies with --grad");
    }

    @Test
    void aMissingInputFileIsInvalidInput() {
        assertThat(run("onnx", "eval", mlp(), "--input", dir.resolve("none.csv").toString()))
                .isEqualTo(2);

        assertThat(err.toString()).contains("input file not found:");
    }

    @Test
    void nonFiniteInputsAreRefusedWithTheirPlaceAndNothingIsWritten() throws IOException {
        Path output = dir.resolve("y.csv");
        for (String[] c :
                List.of(
                        new String[] {"x.csv", "1,2,3,4\n1,NaN,3,4\n", "line 2, column 3"},
                        new String[] {"x.csv", "1,2,3,4\n1,2,-Infinity,4\n", "line 2, column 5"},
                        new String[] {
                            "x.json", "[[1, 2, 3, 4],\n [1e400, 2, 3, 4]]", "line 2, column 3"
                        })) {
            Path input = csv(c[0], c[1]);
            StringWriter before = new StringWriter();
            before.write(err.toString());

            int status =
                    run(
                            "onnx",
                            "eval",
                            mlp(),
                            "--input",
                            input.toString(),
                            "--output",
                            output.toString());

            String message = err.toString().substring(before.toString().length());
            assertThat(status).as(message).isEqualTo(1);
            assertThat(message).contains(input + " " + c[2]).contains("is not a finite number");
            assertThat(output).doesNotExist();
        }
    }

    @Test
    void nonFiniteWeightsAreRefusedByPosition() throws IOException {
        String input = csv("x.csv", "1,2,3,4\n").toString();

        assertThat(run("onnx", "eval", mlp(), "--input", input, "--grad", "--weights", "NaN,1"))
                .isEqualTo(2);
        assertThat(run("onnx", "eval", mlp(), "--input", input, "--grad", "--weights", "1,1e400"))
                .isEqualTo(2);

        assertThat(err.toString())
                .contains(
                        "Invalid value for option '--weights': value 1 of 2, 'NaN' is not a finite number")
                .contains(
                        "value 2 of 2, '1e400' is not a finite number (beyond the largest double");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anOutputFileThatIsAFolderIsRefusedBeforeEvaluating() throws IOException {
        String input = csv("x.csv", "1,2,3,4\n").toString();
        Path folder = Files.createDirectory(dir.resolve("out"));

        assertThat(run("onnx", "eval", mlp(), "--input", input, "--output", folder.toString()))
                .isEqualTo(2);

        assertThat(err.toString())
                .contains(
                        "Invalid value for option '--output': cannot write the file "
                                + folder
                                + ": it is a folder");
    }

    @Test
    void aSemicolonSeparatedFileSaysSo() throws IOException {
        Path input = csv("x.csv", "1;2;3;4\n");

        assertThat(run("onnx", "eval", mlp(), "--input", input.toString())).isEqualTo(1);

        assertThat(err.toString())
                .contains(
                        input
                                + " line 1, column 1: the separator looks wrong: expected commas, found ';'");
    }
}
