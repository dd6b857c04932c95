/// The environment variables, listed in `--help` (the README's configuration table says the same).
enum HelpText {
    static let environment = """
        Environment (every secret also as <NAME>_FILE; flags win over the environment, which \
        wins over --config):
          MIMECAST_BASE_URL          API base URL (default https://api.services.mimecast.com)
          MIMECAST_CLIENT_ID         API 2.0 client id
          MIMECAST_CLIENT_SECRET     API 2.0 client secret
          MIMECAST_APP_ID            API 1.0 application id
          MIMECAST_APP_KEY           API 1.0 application key
          MIMECAST_ACCESS_KEY        API 1.0 access key
          MIMECAST_SECRET_KEY        API 1.0 secret key (base64)
          MIMECAST_CATEGORIES        comma-separated categories (default all)
          MIMECAST_PAGE_SIZE         events per page, 1-500 (default 500)
          ELASTICSEARCH_URL          default http://localhost:9200
          ELASTICSEARCH_CLOUD_ID     Elastic Cloud ID instead of a URL
          ELASTICSEARCH_API_KEY      API key, encoded or id:key
          ELASTICSEARCH_USERNAME     basic authentication user
          ELASTICSEARCH_PASSWORD     basic authentication password
          ELASTICSEARCH_CA_CERT      PEM file of the cluster's CA
          KIBANA_URL                 Kibana URL for install-kibana and check
          KIBANA_SPACE               Kibana space id (default the default space)
          KIBANA_CA_CERT             PEM file of Kibana's CA (default ELASTICSEARCH_CA_CERT)
          MIMECAST_SHIPPER_STATE_DIR checkpoints, lock, dead letters
          MIMECAST_SHIPPER_NAMESPACE data stream namespace (default default)
          MIMECAST_SHIPPER_SINCE     first run's start (default 24h)
          MIMECAST_SHIPPER_OVERLAP   re-read before the checkpoint (default 10m)
          MIMECAST_SHIPPER_LAG       stay behind now (default 1m)
          MIMECAST_SHIPPER_SLICE     slice length for long windows (default 1d)
          MIMECAST_SHIPPER_EVERY     repeat interval for run
          MIMECAST_SHIPPER_BATCH_SIZE documents per bulk request (default 1000)
          MIMECAST_SHIPPER_EVENT_ORIGINAL  false to omit event.original
          MIMECAST_SHIPPER_LOG_LEVEL trace ... critical (default info)
        """
}
