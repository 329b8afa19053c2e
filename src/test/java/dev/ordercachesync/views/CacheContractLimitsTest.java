package dev.ordercachesync.views;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheContractLimitsTest {
    private final CacheContract contract = new CacheContract("ADMIN-", "all-orders", 2048);

    @Test
    void utf8LengthMatchesTheEncoder() {
        for (String s : new String[] {"", "abc", "é", "€", "pizza 🍕", "\u0000\u007f\u0080\u07ff\u0800\uffff", "\ud83c\udf55\ud83c\udf55"}) {
            assertThat(CacheContract.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void keysAreBoundedInUtf8BytesNotChars() {
        assertThat(contract.creatorTooLongReason("a".repeat(CacheContract.MAX_KEY_BYTES))).isNull();
        assertThat(contract.creatorTooLongReason("a".repeat(CacheContract.MAX_KEY_BYTES + 1)))
                .contains("1025 bytes").contains("over the 1024 allowed");
        // 342 three-byte chars: 1026 bytes in only 342 chars.
        assertThat(contract.creatorTooLongReason("€".repeat(342))).contains("1026 bytes");
        assertThat(contract.creatorTooLongReason("€".repeat(341))).isNull();
    }

    @Test
    void theOrderIdBoundCountsTheAdminPrefix() {
        int longest = CacheContract.MAX_KEY_BYTES - "ADMIN-".length();
        assertThat(contract.orderIdTooLongReason("o".repeat(longest))).isNull();
        assertThat(contract.orderIdTooLongReason("o".repeat(longest + 1))).contains("1025 bytes");
    }

    @Test
    void onlyWellFormedCreatorsHaveAListView() {
        assertThat(contract.hasListView("10.0.0.7")).isTrue();
        assertThat(contract.hasListView(null)).isFalse();
        assertThat(contract.hasListView(" ")).isFalse();
        assertThat(contract.hasListView("all-orders")).isFalse();
        assertThat(contract.hasListView("ADMIN-o1")).isFalse();
        assertThat(contract.hasListView("x".repeat(CacheContract.MAX_KEY_BYTES + 1))).isFalse();
    }

    @Test
    void valuesFitUpToTheBoundInBytes() {
        assertThat(contract.maxValueBytes()).isEqualTo(2048);
        assertThat(contract.fits("a".repeat(2048))).isTrue();
        assertThat(contract.fits("a".repeat(2049))).isFalse();
        assertThat(contract.fits("é".repeat(1024))).isTrue();
        assertThat(contract.fits("é".repeat(1025))).isFalse();
    }

    @Test
    void theBoundMustLeaveRoomForAKeyInAMomentoItem() {
        assertThatThrownBy(() -> new CacheContract("ADMIN-", "all-orders", CacheContract.MOMENTO_MAX_ITEM_BYTES))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CacheContract.defaults().maxValueBytes()).isEqualTo(CacheContract.DEFAULT_MAX_VALUE_BYTES);
        assertThat(new CacheContract("ADMIN-", "all-orders", 1024))
                .isNotEqualTo(new CacheContract("ADMIN-", "all-orders", 2048));
    }
}
