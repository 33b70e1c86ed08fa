package io.stagedrollout.cli;

import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

/**
 * A command's picocli model, declared in code. picocli can read the model from annotations, but it reads them by
 * reflection at every start, and the JVM generates a proxy class for each annotation type it hands out: that was
 * some 50 ms of every command's start, a quarter of {@code rollout status} (BENCHMARKS.md, "CLI start-up, fourth
 * round"). picocli's programmatic API builds the same model; each value goes straight into the command's field.
 */
final class CommandModel {
    /** A command that declares its name, description, options and parameters. */
    interface Declared {
        void declare(CommandModel model);
    }

    final CommandSpec spec;

    private CommandModel(Object command) {
        spec = CommandSpec.wrapWithoutInspection(command);
    }

    /** The model of a command, with {@code -h, --help}. */
    static CommandSpec of(Declared command) {
        CommandModel model = new CommandModel(command);
        model.spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build());
        command.declare(model);
        return model.spec;
    }

    CommandModel command(String name, String... description) {
        spec.name(name);
        spec.usageMessage().description(description);
        return this;
    }

    /** An option that takes a value, e.g. {@code --rollout KEY}. */
    Arg option(String name, String label, String description) {
        return new Arg(OptionSpec.builder(name).paramLabel(label).description(description), null);
    }

    /** An option that is given or not, e.g. {@code --wait}. */
    Arg flag(String name, String description) {
        return new Arg(OptionSpec.builder(name).description(description), null);
    }

    /** A positional parameter, e.g. the plan file; required unless {@link Arg#optional()}. */
    Arg parameter(int index, String label, String description) {
        return new Arg(null, PositionalParamSpec.builder().index(String.valueOf(index)).paramLabel(label).description(description)
                .required(true));
    }

    /** Flags (declared already) of which exactly one must be given: an exclusive group. */
    void exactlyOne(ArgSpec... flags) {
        ArgGroupSpec.Builder group = ArgGroupSpec.builder().exclusive(true).multiplicity("1");
        for (ArgSpec flag : flags) {
            spec.remove(flag);
            group.addArg(flag);
        }
        spec.addArgGroup(group.build());
    }

    /** One option or parameter being declared; {@code to…} adds it to the command and says where its value goes. */
    final class Arg {
        private final OptionSpec.Builder option;
        private final PositionalParamSpec.Builder parameter;

        private Arg(OptionSpec.Builder option, PositionalParamSpec.Builder parameter) {
            this.option = option;
            this.parameter = parameter;
        }

        Arg required() {
            if (option != null) option.required(true);
            else parameter.required(true);
            return this;
        }

        /** The value when the argument is not given; help shows it for {@code ${DEFAULT-VALUE}}. */
        Arg defaultValue(String value) {
            if (option != null) option.defaultValue(value);
            else parameter.defaultValue(value);
            return this;
        }

        /** A parameter that may be left out. */
        Arg optional() {
            parameter.arity("0..1").required(false);
            return this;
        }

        /** Another name of the option, e.g. {@code -o}. */
        Arg alias(String name) {
            String[] names = java.util.Arrays.copyOf(option.names(), option.names().length + 1);
            names[names.length - 1] = name;
            option.names(names);
            return this;
        }

        /** Accepted before and after the subcommand (the global options). */
        Arg global() {
            option.scopeType(ScopeType.INHERIT);
            return this;
        }

        ArgSpec toText(Consumer<String> into) {
            return to(String.class, into);
        }

        ArgSpec toPath(Consumer<Path> into) {
            return to(Path.class, into);
        }

        ArgSpec toFlag(Consumer<Boolean> into) {
            return to(boolean.class, into);
        }

        <T> ArgSpec to(Class<T> type, Consumer<T> into) {
            Binding<T> binding = new Binding<>(into);
            // no initial value: picocli would otherwise set null into every field before parsing
            ArgSpec built = option != null
                    ? option.type(type).getter(binding).setter(binding).hasInitialValue(false).build()
                    : parameter.type(type).getter(binding).setter(binding).hasInitialValue(false).build();
            spec.add(built);
            return built;
        }
    }

    /** Where picocli keeps a value and how it reaches the command's field. */
    private static final class Binding<T> implements IGetter, ISetter {
        private final Consumer<T> into;
        private Object value;

        Binding(Consumer<T> into) {
            this.into = into;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V get() {
            return (V) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V set(V newValue) {
            V old = (V) value;
            value = newValue;
            into.accept((T) newValue);
            return old;
        }
    }
}
