# TRPO: surrogate gain predicted by gᵀΔ against the gain realized
# Render from this directory: gnuplot predicted-vs-realized.gp  (writes predicted-vs-realized.png)
if (!exists("outfile")) outfile = 'predicted-vs-realized.png'
set terminal pngcairo size 800,534 noenhanced font 'Sans,11'
set output outfile
set title 'TRPO: surrogate gain predicted by gᵀΔ against the gain realized'
set xlabel 'predicted gain'
set ylabel 'realized gain (accepted step)'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set xrange [0.0270099561:0.187524623]
set yrange [0.0270099561:0.187524623]
plot 'predicted-vs-realized.dat' index 0 using 1:2 with points pt 7 ps 0.6 lc 1 title 'update', \
     x with lines dt 2 lw 1.5 lc rgb '#333333' title 'y = x'
