package io.stagedrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.MutuallyExclusiveArgsException;

/** A command declared in code gets its values as annotations would have given them. */
class CommandModelTest {
    static final class Sample implements Callable<Integer>, CommandModel.Declared {
        String rollout;
        int port = -1;
        boolean wait;
        String reason;
        Path file;
        boolean reverted;
        boolean accepted;

        @Override
        public void declare(CommandModel m) {
            m.command("sample", "A command for this test.");
            m.option("--rollout", "KEY", "service/environment").required().toText(v -> rollout = v);
            m.option("--port", "PORT", "A number.").to(Integer.class, v -> port = v);
            m.flag("--wait", "A flag.").toFlag(v -> wait = v);
            m.option("--reason", "TEXT", "Why (default: ${DEFAULT-VALUE}).").defaultValue("by hand").alias("-r").toText(v -> reason = v);
            m.parameter(0, "FILE", "A file.").optional().toPath(v -> file = v);
            m.exactlyOne(m.flag("--reverted", "One.").required().toFlag(v -> reverted = v),
                    m.flag("--accept", "Or the other.").required().toFlag(v -> accepted = v));
        }

        @Override
        public Integer call() {
            return 0;
        }
    }

    private static Sample parse(String... args) {
        Sample s = new Sample();
        new CommandLine(CommandModel.of(s)).parseArgs(args);
        return s;
    }

    @Test
    void eachValueReachesItsField() {
        Sample s = parse("--rollout", "a/b", "--port", "8080", "--wait", "-r", "checked", "plan.yaml", "--accept");

        assertThat(s.rollout).isEqualTo("a/b");
        assertThat(s.port).isEqualTo(8080);
        assertThat(s.wait).isTrue();
        assertThat(s.reason).isEqualTo("checked");
        assertThat(s.file).isEqualTo(Path.of("plan.yaml"));
        assertThat(s.accepted).isTrue();
        assertThat(s.reverted).isFalse();
    }

    @Test
    void anOptionNotGivenKeepsItsFieldsInitialValueOrItsDefault() {
        Sample s = parse("--rollout", "a/b", "--reverted");

        assertThat(s.port).isEqualTo(-1);
        assertThat(s.wait).isFalse();
        assertThat(s.file).isNull();
        assertThat(s.reason).isEqualTo("by hand");
    }

    @Test
    void aRequiredOptionLeftOutIsRefused() {
        assertThatThrownBy(() -> parse("--reverted")).isInstanceOf(MissingParameterException.class).hasMessageContaining("--rollout");
    }

    @Test
    void aParameterIsRequiredUnlessDeclaredOptional() {
        class Plan implements Callable<Integer>, CommandModel.Declared {
            @Override
            public void declare(CommandModel m) {
                m.command("plan", "A command with a required parameter.");
                m.parameter(0, "FILE", "The plan file.").toPath(v -> { });
            }

            @Override
            public Integer call() {
                return 0;
            }
        }
        assertThatThrownBy(() -> new CommandLine(CommandModel.of(new Plan())).parseArgs()).isInstanceOf(MissingParameterException.class)
                .hasMessageContaining("FILE");
    }

    @Test
    void exactlyOneOfAGroupMustBeGiven() {
        assertThatThrownBy(() -> parse("--rollout", "a/b")).isInstanceOf(MissingParameterException.class)
                .hasMessageContaining("--reverted | --accept");
        assertThatThrownBy(() -> parse("--rollout", "a/b", "--reverted", "--accept")).isInstanceOf(MutuallyExclusiveArgsException.class);
    }

    @Test
    void helpShowsEveryOptionWithItsLabelAndDefault() {
        String help = new CommandLine(CommandModel.of(new Sample())).getUsageMessage();

        assertThat(help).startsWith("Usage: sample").contains("-h, --help", "--rollout=KEY", "--port=PORT",
                "-r, --reason=TEXT", "Why (default: by hand).", "[FILE]", "(--reverted |");
    }
}
