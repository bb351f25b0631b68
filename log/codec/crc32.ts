/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial and final XOR
 * 0xFFFFFFFF), the checksum of zip, PNG and gzip. Bundles carry one per page
 * so a corrupt file is refused before anything is written.
 */

const TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 of `data`, as an unsigned 32-bit integer (`crc32("123456789") === 0xCBF43926`). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
