using System.Collections.Generic;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    [DataContract(Name = "EntityCollection", Namespace = XrmContracts.Namespace)]
    public sealed class EntityCollection : IExtensibleDataObject
    {
        public EntityCollection()
        {
            Entities = new DataCollection<Entity>();
        }

        /// <remarks>The rows are copied into a collection of its own: changing <paramref name="list"/> afterwards changes nothing here.</remarks>
        public EntityCollection(IList<Entity> list)
        {
            Entities = new DataCollection<Entity>(new List<Entity>(list ?? new List<Entity>()));
        }

        [DataMember]
        public DataCollection<Entity> Entities { get; private set; }

        public Entity this[int index]
        {
            get => Entities[index];
            set => Entities[index] = value;
        }

        [DataMember]
        public string EntityName { get; set; }

        [DataMember]
        public bool MoreRecords { get; set; }

        [DataMember]
        public string PagingCookie { get; set; }

        [DataMember]
        public string MinActiveRowVersion { get; set; }

        [DataMember]
        public int TotalRecordCount { get; set; }

        [DataMember]
        public bool TotalRecordCountLimitExceeded { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }
}
