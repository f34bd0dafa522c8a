using System.Net;
using System.Net.Sockets;

namespace OneKosmos.Sandbox.Host
{
    /// <summary>Addresses on this machine for the sandbox's parts.</summary>
    public static class Loopback
    {
        /// <summary>A TCP port on 127.0.0.1 nobody listens on now: for a process that must be told its address up front.</summary>
        public static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
