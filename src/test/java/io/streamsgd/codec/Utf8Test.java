package io.streamsgd.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void shouldAcceptEveryCodePointEncodedByTheJdk() {
        StringBuilder all = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                all.appendCodePoint(cp);
            }
        }
        byte[] bytes = all.toString().getBytes(UTF_8);

        assertThat(Utf8.firstInvalid(bytes, 0, bytes.length)).isEqualTo(-1);
    }

    @Test
    void shouldPointAtTheFirstInvalidSequence() {
        byte[] bytes = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', (byte) 0xC3, 0x28, (byte) 0xFF};

        assertThat(Utf8.firstInvalid(bytes, 0, bytes.length)).isEqualTo(9);
        assertThat(Utf8.firstInvalid(bytes, 0, 9)).isEqualTo(-1);
        assertThat(Utf8.firstInvalid(bytes, 11, 12)).isEqualTo(11);
    }

    @Test
    void shouldRejectASequenceCutByTheEndOfTheRange() {
        byte[] euro = "€".getBytes(UTF_8); // E2 82 AC

        assertThat(Utf8.firstInvalid(euro, 0, 3)).isEqualTo(-1);
        assertThat(Utf8.firstInvalid(euro, 0, 2)).isEqualTo(0);
    }

    /** Random byte strings, biased toward almost-valid ones, judged by the JDK's strict decoder. */
    @Test
    void shouldAgreeWithTheJdkDecoderOnRandomBytes() {
        CharsetDecoder decoder = UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Random random = new Random(11);
        int invalid = 0;
        for (int n = 0; n < 200_000; n++) {
            byte[] bytes = new byte[random.nextInt(20)];
            for (int i = 0; i < bytes.length; i++) {
                int kind = random.nextInt(4);
                bytes[i] = (byte) switch (kind) {
                    case 0 -> random.nextInt(0x80);          // ASCII
                    case 1 -> 0x80 + random.nextInt(0x40);   // continuation
                    case 2 -> 0xC0 + random.nextInt(0x40);   // lead bytes, valid or not
                    default -> random.nextInt(256);
                };
            }
            boolean jdkValid;
            try {
                decoder.decode(ByteBuffer.wrap(bytes));
                jdkValid = true;
            } catch (CharacterCodingException e) {
                jdkValid = false;
            }
            boolean ours = Utf8.firstInvalid(bytes, 0, bytes.length) < 0;
            assertThat(ours).as("%s", java.util.HexFormat.ofDelimiter(" ").formatHex(bytes)).isEqualTo(jdkValid);
            invalid += ours ? 0 : 1;
        }
        assertThat(invalid).as("the sample must hold both kinds").isBetween(1_000, 199_000);
    }
}
