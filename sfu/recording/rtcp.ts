import dgram from "node:dgram";

/**
 * A compound RTCP packet (RFC 3550 §6.1): an empty receiver report, then a BYE from `ssrc`. The report
 * is required first in a compound packet, and makes it long enough for ffmpeg, which ignores
 * datagrams shorter than an RTP header.
 */
export function rtcpBye(ssrc: number): Buffer {
  const packet = Buffer.alloc(16);
  packet.writeUInt8(0x80, 0); // V=2, P=0, RC=0
  packet.writeUInt8(201, 1); // PT=RR
  packet.writeUInt16BE(1, 2); // length in 32-bit words, minus one
  packet.writeUInt32BE(ssrc >>> 0, 4);
  packet.writeUInt8(0x81, 8); // V=2, P=0, SC=1
  packet.writeUInt8(203, 9); // PT=BYE
  packet.writeUInt16BE(1, 10);
  packet.writeUInt32BE(ssrc >>> 0, 12);
  return packet;
}

/**
 * Tells an ffmpeg reading RTP that the stream is over. ffmpeg treats a BYE from every stream of its
 * SDP as the end of its input, and finishes the file as it would at the end of a file input.
 */
export function sendRtcpBye(port: number, ip: string, ssrc: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(ip.includes(":") ? "udp6" : "udp4");
    socket.once("error", (error) => {
      socket.close();
      reject(error);
    });
    socket.send(rtcpBye(ssrc), port, ip, (error) => {
      socket.close();
      if (error) reject(error);
      else resolve();
    });
  });
}
