# Gold score of held-out answers, before and after SFT
# Render from this directory: gnuplot gold-distribution.gp  (writes gold-distribution.png)
if (!exists("outfile")) outfile = 'gold-distribution.png'
set terminal pngcairo size 800,534 noenhanced font 'Sans,11'
set output outfile
set title 'Gold score of held-out answers, before and after SFT'
set xlabel 'gold score (0-10)'
set ylabel 'fraction of samples'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set xrange [-0.2:10.2]
set yrange [0:0.44229765]
set style fill transparent solid 0.35 border
set boxwidth 0.5 absolute
plot 'gold-distribution.dat' index 0 using 1:2 with boxes lc 1 title 'pretrained', \
     'gold-distribution.dat' index 1 using 1:2 with boxes lc 2 title 'SFT'
