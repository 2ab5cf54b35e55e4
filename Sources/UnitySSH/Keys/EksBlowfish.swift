/// Blowfish with the "expensive key schedule" steps that bcrypt_pbkdf needs (OpenBSD blowfish.c:
/// Blowfish_expandstate / Blowfish_expand0state / blf_enc). Not a general-purpose cipher API.
///
/// The state is one array, P (18 words) followed by S-boxes 0…3 (4 × 256): the key schedule then
/// re-encrypts it front to back in one loop, and the hot paths run on a raw pointer because this runs
/// millions of block encryptions per key import, also in debug builds.
struct EksBlowfish {
    private static let stateWords = 18 + 4 * 256
    private var state: [UInt32]

    init() { state = BlowfishTables.initialP + BlowfishTables.initialS }

    /// Blowfish_expandstate (`data` given) or Blowfish_expand0state (`data` nil).
    mutating func expand(key: [UInt8], data: [UInt8]?) {
        precondition(!key.isEmpty && data?.isEmpty != true, "bcrypt feeds SHA-512 digests, never empty input")
        state.withUnsafeMutableBufferPointer { buffer in
            let words = buffer.baseAddress!
            var keyPosition = 0
            for index in 0..<18 { words[index] ^= Self.streamWord(key, &keyPosition) }
            var dataPosition = 0
            var left: UInt32 = 0, right: UInt32 = 0
            var index = 0
            while index < Self.stateWords {
                if let data {
                    left ^= Self.streamWord(data, &dataPosition)
                    right ^= Self.streamWord(data, &dataPosition)
                }
                Self.encipher(words, &left, &right)
                words[index] = left
                words[index + 1] = right
                index += 2
            }
        }
    }

    /// blf_enc: encrypts consecutive (left, right) word pairs in place (ECB).
    mutating func encrypt(_ blocks: inout [UInt32]) {
        precondition(blocks.count % 2 == 0)
        state.withUnsafeMutableBufferPointer { buffer in
            let words = buffer.baseAddress!
            var index = 0
            while index < blocks.count {
                var left = blocks[index], right = blocks[index + 1]
                Self.encipher(words, &left, &right)
                blocks[index] = left
                blocks[index + 1] = right
                index += 2
            }
        }
    }

    /// Blowfish_stream2word: the next big-endian word of `bytes`, wrapping around at the end.
    static func streamWord(_ bytes: [UInt8], _ position: inout Int) -> UInt32 {
        var word: UInt32 = 0
        for _ in 0..<4 {
            if position >= bytes.count { position = 0 }
            word = word << 8 | UInt32(bytes[position])
            position += 1
        }
        return word
    }

    /// One block, 16 Feistel rounds. The round function is written out inline with literal S-box offsets
    /// (S0 at 18, S1 at 274, S2 at 530, S3 at 786) and bit-pattern conversions: at -Onone every helper call,
    /// static-constant access and checked conversion is a real call, and this runs millions of times per import.
    private static func encipher(_ words: UnsafeMutablePointer<UInt32>, _ left: inout UInt32, _ right: inout UInt32) {
        var l = left ^ words[0], r = right
        var round = 1
        while round < 17 {
            r ^= (((words[18 &+ Int(truncatingIfNeeded: l &>> 24)] &+ words[274 &+ Int(truncatingIfNeeded: (l &>> 16) & 0xff)])
                ^ words[530 &+ Int(truncatingIfNeeded: (l &>> 8) & 0xff)]) &+ words[786 &+ Int(truncatingIfNeeded: l & 0xff)])
                ^ words[round]
            l ^= (((words[18 &+ Int(truncatingIfNeeded: r &>> 24)] &+ words[274 &+ Int(truncatingIfNeeded: (r &>> 16) & 0xff)])
                ^ words[530 &+ Int(truncatingIfNeeded: (r &>> 8) & 0xff)]) &+ words[786 &+ Int(truncatingIfNeeded: r & 0xff)])
                ^ words[round &+ 1]
            round &+= 2
        }
        left = r ^ words[17]
        right = l
    }
}
