/**
 * Simulcast for cameras: three encodings, and each receiver asks for the one that fits its tile. A
 * 40-site grid on an old PC then decodes forty small streams, not forty large ones.
 */

/** Capture size that lets Chrome send all three layers (it drops layers below ~960×540). */
export const CAMERA_CAPTURE = { width: 960, height: 540, frameRate: 20 } as const;

/** Quarter, half and full resolution; bitrates sized for weak provincial links. */
export const CAMERA_ENCODINGS: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 120_000, maxFramerate: 15 },
  { scaleResolutionDownBy: 2, maxBitrate: 350_000, maxFramerate: 20 },
  { scaleResolutionDownBy: 1, maxBitrate: 900_000, maxFramerate: 20 },
];

/** Widths (device pixels) up to which the small and the medium layer are sharp enough. */
const SMALL_UP_TO = CAMERA_CAPTURE.width / 4 + 80;
const MEDIUM_UP_TO = CAMERA_CAPTURE.width / 2 + 160;

/** The spatial layer for a tile this many device pixels wide; 0 when it is not shown at all. */
export function layerForWidth(devicePixels: number): 0 | 1 | 2 {
  if (devicePixels <= SMALL_UP_TO) return 0;
  if (devicePixels <= MEDIUM_UP_TO) return 1;
  return 2;
}
