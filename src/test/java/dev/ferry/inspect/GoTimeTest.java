package dev.ferry.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoTimeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // created,                              as Go prints it
            "2024-05-01T12:30:00.123456789Z,         2024-05-01T12:30:00.123456789Z",
            "2024-05-01T12:30:00.120000000Z,         2024-05-01T12:30:00.12Z",
            "2024-05-01T12:30:00.100Z,               2024-05-01T12:30:00.1Z",
            "2024-05-01T12:30:00.000000001Z,         2024-05-01T12:30:00.000000001Z",
            "2024-05-01T12:30:00.000000000Z,         2024-05-01T12:30:00Z",
            "2024-05-01T12:30:00Z,                   2024-05-01T12:30:00Z",
            "2024-05-01T12:30:00+00:00,              2024-05-01T12:30:00Z",
            "2024-05-01T12:30:00+02:00,              2024-05-01T12:30:00+02:00",
            "2024-05-01T12:30:00.5-07:30,            2024-05-01T12:30:00.5-07:30",
            "0001-01-01T00:00:00Z,                   0001-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z,                   1970-01-01T00:00:00Z",
    })
    void timesArePrintedLikeGoRfc3339Nano(String created, String expected) {
        assertEquals(expected, GoTime.format(created));
    }

    @ParameterizedTest
    @CsvSource({"yesterday", "2024-05-01", "2024-05-01 12:30:00", "2024-13-01T12:30:00Z", "2024-05-01T12:30:00"})
    void unparseableTimesArePassedThrough(String created) {
        assertEquals(created, GoTime.format(created));
    }

    @Test
    void aMissingTimeStaysMissing() {
        assertNull(GoTime.format(null));
        assertNull(GoTime.format(""));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // created,                              as a Go template shows a time.Time
            "2024-05-01T12:30:00.123456789Z,         2024-05-01 12:30:00.123456789 +0000 UTC",
            "2024-05-01T12:30:00.500Z,               2024-05-01 12:30:00.5 +0000 UTC",
            "2024-05-01T12:30:00Z,                   2024-05-01 12:30:00 +0000 UTC",
            "2024-05-01T12:30:00+02:00,              2024-05-01 12:30:00 +0200 +0200",
            "2024-05-01T12:30:00.25-07:30,           2024-05-01 12:30:00.25 -0730 -0730",
            "yesterday,                              yesterday",
    })
    void timesInTemplatesArePrintedLikeGosTimeString(String created, String expected) {
        assertEquals(expected, GoTime.goString(created));
    }
}
