package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * descent-bom has no parent (importing a BOM imports its inherited management too), so it repeats
 * versions of descent-parent: every property the two poms share holds the same value, and the BOM's
 * version is the project's.
 */
class BomVersionsTest {

    @Test
    void theBomRepeatsTheParentsVersions() throws Exception {
        Element parent = pom(Path.of("..", "pom.xml"));
        Element bom = pom(Path.of("..", "descent-bom", "pom.xml"));
        Map<String, String> parentProperties = properties(parent);
        Map<String, String> bomProperties = properties(bom);
        Map<String, String> shared = new LinkedHashMap<>();
        bomProperties.forEach(
                (k, v) -> {
                    if (parentProperties.containsKey(k)) {
                        shared.put(k, v);
                    }
                });
        assertThat(shared)
                .containsKeys(
                        "djl.version",
                        "pytorch.native.version",
                        "pytorch.jni.version",
                        "onnxruntime.version",
                        "junit.version");
        shared.forEach((k, v) -> assertThat(v).as(k).isEqualTo(parentProperties.get(k)));
        assertThat(child(bom, "version")).isEqualTo(child(parent, "version"));
    }

    private static Element pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(file.toFile())
                .getDocumentElement();
    }

    private static Map<String, String> properties(Element project) {
        Map<String, String> out = new LinkedHashMap<>();
        NodeList blocks = project.getElementsByTagName("properties");
        for (int b = 0; b < blocks.getLength(); b++) {
            Node block = blocks.item(b);
            // the project's own properties, not a profile's
            if (block.getParentNode() != project) {
                continue;
            }
            NodeList children = block.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                if (children.item(i) instanceof Element e) {
                    out.put(e.getTagName(), e.getTextContent().strip());
                }
            }
        }
        return out;
    }

    private static String child(Element project, String name) {
        NodeList children = project.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        throw new AssertionError("no <" + name + "> in the pom");
    }
}
