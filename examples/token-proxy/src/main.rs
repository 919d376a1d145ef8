//! `orcheo-token-proxy`: see the crate docs in lib.rs. Configured by environment variables:
//! `ORCHEO_URL`, `ORCHEO_SERVICE_TOKEN`, `ALLOWED_ORIGINS`, optional `ALLOWED_WORKFLOWS`, and
//! `LISTEN` (default `127.0.0.1:8082`).

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let settings = match orcheo_token_proxy::settings_from_env() {
        Ok(settings) => settings,
        Err(missing) => {
            eprintln!("orcheo-token-proxy: {missing}");
            return ExitCode::FAILURE;
        }
    };
    let listen = std::env::var("LISTEN").unwrap_or_else(|_| "127.0.0.1:8082".into());
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("orcheo-token-proxy: cannot listen on {listen}: {error}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "orcheo-token-proxy: POST http://{listen}/chatkit-token (origins: {})",
        settings.allowed_origins.join(", ")
    );
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, orcheo_token_proxy::router(settings)).with_graceful_shutdown(shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("orcheo-token-proxy: {error}");
            ExitCode::FAILURE
        }
    }
}
