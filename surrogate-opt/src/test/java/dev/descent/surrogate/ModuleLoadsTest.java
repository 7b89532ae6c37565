package dev.descent.surrogate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModuleLoadsTest {

    @Test
    void packageIsOnTheClassPathWithItsDependency() throws Exception {
        assertThat(
                        getClass()
                                .getClassLoader()
                                .getResource("dev/descent/surrogate/package-info.class"))
                .isNotNull();
        assertThat(Class.forName("dev.descent.optim.DescentOptimizer")).isNotNull();
    }
}
