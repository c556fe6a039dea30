@echo off
rem Double-click (Windows) to open the handout page in your browser. Keep
rem the window it opens; close it to stop the page. Put your practice file
rem next to this file as practice.toml to use it.
cd /d "%~dp0"
set "PATH=%USERPROFILE%\.cargo\bin;%PATH%"
where handout >nul 2>nul || (echo handout is not installed: see "Installing it" in the README: cargo install --locked --path . & pause & exit /b 1)
if exist practice.toml (handout serve --practice practice.toml) else (handout serve)
pause
