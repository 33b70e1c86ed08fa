package io.stagedrollout.core.text;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * A print stream for text meant for people (a terminal, a CI log) that passes everything printed as text through
 * {@link Redact#text} and {@link Printable#lines}: lines stay lines, but no ESC, carriage return, C1, bidi or
 * zero-width character and no credential in a URL gets through, whoever composed the string. The second line of
 * defence: fields that may hold a newline are escaped where the line is composed.
 */
public final class PrintableStream extends PrintStream {
    public PrintableStream(OutputStream out, Charset charset) {
        super(out, true, charset);
    }

    /** {@code out} itself when it already is one; else a UTF-8 stream onto it (the CLI writes UTF-8 whatever the locale). */
    public static PrintStream of(PrintStream out) {
        return out instanceof PrintableStream ? out : new PrintableStream(out, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String clean(String s) {
        return Printable.lines(Redact.text(s));
    }

    @Override
    public void print(String s) {
        super.print(s == null ? null : clean(s));
    }

    @Override
    public void print(Object o) {
        print(String.valueOf(o));
    }

    @Override
    public void print(char[] s) {
        print(new String(s));
    }

    @Override
    public void print(char c) {
        print(String.valueOf(c));
    }

    @Override
    public void println(String s) {
        synchronized (this) {
            print(s);
            println();
        }
    }

    @Override
    public void println(Object o) {
        println(String.valueOf(o));
    }

    @Override
    public void println(char[] s) {
        println(new String(s));
    }

    @Override
    public PrintStream append(CharSequence csq) {
        print(String.valueOf(csq));
        return this;
    }

    @Override
    public PrintStream append(CharSequence csq, int start, int end) {
        return append(csq == null ? "null" : csq.subSequence(start, end));
    }
}
